using System.Text;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Anomaly;
using MetricsPipeline.Host.Forecasting;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The keyed checkpoint of the forecast, anomaly and scaling stages (issue 9): a survivor that ran one service (web)
/// and merges another's (api) saved keys at a cut goes on exactly as the single stage that saw both from the start;
/// the merge leaves the survivor's own keys alone, and dropping keys forgets only them. "predictive" is the scaling
/// stage with predictive scaling on (its per-service policy state is part of the service's key).
/// </summary>
public sealed class KeyedStageStateTests
{
    private const long MinuteNs = 60_000_000_000;
    private const long T0 = 1_790_002_800L * 1_000_000_000;
    private static readonly string[] QuantileNames = ["p50", "p90", "p95", "p99"];
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99];

    public static TheoryData<string, int> Cuts => new()
    {
        { "forecast", 40 },
        { "forecast", 75 },
        { "anomaly", 70 },
        { "anomaly", 125 },
        { "scaling", 50 },
        { "scaling", 123 },
        { "predictive", 50 },
        { "predictive", 123 },
        { "cost", 60 },
    };

    [Theory]
    [MemberData(nameof(Cuts))]
    public void WhenASurvivorMergesTheTakenOverServicesKeysThenItContinuesExactlyAsTheSingleStage(string kind, int cut)
    {
        var original = Create(kind);
        var survivor = Create(kind);
        var apiKeys = Keys(original.Stage, "api");
        var webKeys = Keys(original.Stage, "web");
        Assert.NotEmpty(apiKeys);
        Assert.Empty(apiKeys.Intersect(webKeys));
        var expected = new List<string>();
        var actual = new List<string>();
        for (var m = 0; m < 160; m++)
        {
            if (m == cut)
            {
                var own = survivor.Stage.SaveKeys(webKeys);
                var saved = original.Stage.SaveKeys(apiKeys);
                var merged = survivor.Stage.MergeKeys(saved, _ => true);

                Assert.Equal(apiKeys.Order(StringComparer.Ordinal), merged.Order(StringComparer.Ordinal));
                Assert.Equal(saved, survivor.Stage.SaveKeys(apiKeys)); // bit-exact round trip of the merged keys
                Assert.Equal(own, survivor.Stage.SaveKeys(webKeys)); // the survivor's own keys untouched
                if (kind != "cost")
                {
                    // Together: the single stage's state (the cost engine's "total" scope is each instance's own).
                    Assert.Equal(original.Stage.SaveState(), survivor.Stage.SaveState());
                }

                original.Drain();
            }

            var both = Batch(m, ["api", "web"]);
            var outputs = original.Run(both);
            if (m >= cut)
            {
                expected.AddRange(outputs);
                actual.AddRange(survivor.Run(both));
            }
            else
            {
                // Before the cut the survivor owns only web's partition.
                survivor.Run(Batch(m, ["web"]));
            }
        }

        Assert.NotEmpty(expected);
        if (kind == "cost")
        {
            Assert.Contains(expected, e => e.StartsWith("cost,period=monthly,scope=api spend=", StringComparison.Ordinal));
        }

        if (kind == "predictive")
        {
            Assert.Contains(expected, e => e.Contains("\"trigger\":\"predictive\"", StringComparison.Ordinal));
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("forecast")]
    [InlineData("anomaly")]
    [InlineData("scaling")]
    [InlineData("predictive")]
    [InlineData("cost")]
    public void WhenKeysAreDroppedOrTheMergeIsRefusedThenOnlyThoseKeysChange(string kind)
    {
        var stage = Create(kind);
        for (var m = 0; m < 130; m++)
        {
            stage.Run(Batch(m, ["api", "web"]));
        }

        var apiKeys = Keys(stage.Stage, "api");
        var webKeys = Keys(stage.Stage, "web");
        var api = stage.Stage.SaveKeys(apiKeys);
        var web = stage.Stage.SaveKeys(webKeys);
        var empty = Create(kind).Stage.SaveKeys(apiKeys);
        Assert.NotEqual(empty, api);

        stage.Stage.DropKeys(apiKeys);
        Assert.Equal(empty, stage.Stage.SaveKeys(apiKeys));
        Assert.Equal(web, stage.Stage.SaveKeys(webKeys));

        Assert.Empty(stage.Stage.MergeKeys(api, _ => false));
        Assert.Equal(empty, stage.Stage.SaveKeys(apiKeys));
        Assert.Equal(apiKeys.Order(StringComparer.Ordinal), stage.Stage.MergeKeys(api, _ => true).Order(StringComparer.Ordinal));
        Assert.Equal(api, stage.Stage.SaveKeys(apiKeys));
        Assert.Throws<FormatException>(() => stage.Stage.MergeKeys(api.AsSpan(0, api.Length - 3), _ => true));
    }

    private static List<string> Keys(IKeyedCheckpointedStage stage, string service)
    {
        var keys = new List<string>();
        foreach (var window in Batch(0, [service]).Windows)
        {
            stage.CollectKeys(window, keys);
        }

        return [.. keys.Distinct(StringComparer.Ordinal)];
    }

    private static Harness Create(string kind)
    {
        var messages = new List<string>();
        switch (kind)
        {
            case "forecast":
                var forecast = new ForecastStage(
                    new StreamForecastEngine(new StreamForecastOptions { Series = [new ForecastSeriesOptions { Name = "request_rate" }], Horizon = 4, WriteEveryStep = true, TrainSize = 60, WindowSize = 12, MaxRank = 6 }, null),
                    QuantileNames,
                    NullLogger.Instance);
                return new Harness(forecast, b => [.. forecast.OnWindows(b).Select(Format)], messages);
            case "anomaly":
                var publisher = new CapturingPublisher(messages);
                var anomaly = new AnomalyStage(new AnomalyStageOptions(), Quantiles, publisher);
                return new Harness(anomaly, b => [.. anomaly.OnWindows(b).Select(Format)], messages);
            default:
                // "predictive": the predictive policy with its capacity estimated after 10 windows, calibrated after 20
                // evaluations and a 30-minute season, so by either cut it holds every kind of state it has.
                // "cost": the cost engine on, its points of the "total" scope left out (see the cut).
                var options = new ScalingStageOptions { PredictiveEnabled = kind == "predictive", CapacityEstimateWindows = 10 };
                options.Predictive.MinCalibrationSamples = 20;
                options.Predictive.CalibrationWindow = TimeSpan.FromHours(1);
                options.Predictive.SeasonalPeriod = TimeSpan.FromMinutes(30);
                options.Cost.Enabled = kind == "cost";
                var scaling = new ScalingStage(options, new PipelineSettings(), (topic, key, value) => messages.Add($"{topic} {key} {Encoding.UTF8.GetString(value)}"));
                return new Harness(scaling, b => [.. scaling.OnWindows(b).Select(Format).Where(p => !p.Contains(",scope=total", StringComparison.Ordinal))], messages);
        }
    }

    // Each service: three instances with a daily-ish swing; api triples from minute 110 to 140 (alerts, scale-out).
    private static AggregateBatch Batch(int minute, string[] services)
    {
        var windows = new List<WindowResult>();
        foreach (var service in services)
        {
            var offset = service == "api" ? 0 : 3;
            var factor = service == "api" && minute is >= 110 and < 140 ? 3.0 : 1.0;
            for (var i = 0; i < 3; i++)
            {
                var rate = factor * (100 + (20 * Math.Sin(2 * Math.PI * minute / 30.0)) + (i * 10) + ((minute * 7919 % 13) / 3.0) + offset);
                var cpu = Math.Min(99, (30 * factor) + (minute * 31 % 7) + i);
                windows.Add(new WindowResult(
                    offset + i,
                    "service",
                    [new("instance", $"{service}-{i}"), new("service", service)],
                    TimeSpan.FromMinutes(1),
                    T0 + (minute * MinuteNs),
                    [
                        Stat("request_rate", rate),
                        Stat("cpu_percent", cpu),
                        Stat("memory_percent", 45),
                        Stat("error_rate", factor > 1 ? 6 : 0.2),
                        Stat("instances", 3),
                    ]));
            }
        }

        return new AggregateBatch(windows, [], T0 + ((minute + 1) * MinuteNs));
    }

    private static WindowFieldStats Stat(string field, double v) => new(field, 6, 6 * v, v, v, [v, v, v, v]);

    private static string Format(MetricPoint p) =>
        $"{p.Measurement},{string.Join(",", p.Tags.Select(t => t.Key + "=" + t.Value))} {string.Join(",", p.Fields.Select(f => f.Key + "=" + f.Value))} {p.TimestampNs}";

    private sealed class Harness(IKeyedCheckpointedStage stage, Func<AggregateBatch, List<string>> run, List<string> messages)
    {
        public IKeyedCheckpointedStage Stage => stage;

        // The points of a batch, then the messages (alerts, commands) it published.
        public List<string> Run(AggregateBatch batch)
        {
            var outputs = run(batch);
            outputs.AddRange(messages);
            messages.Clear();
            return outputs;
        }

        public void Drain() => messages.Clear();
    }

    private sealed class CapturingPublisher(List<string> messages) : IAlertPublisher
    {
        public void Publish(string key, byte[] value) => messages.Add(key + " " + Encoding.UTF8.GetString(value));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
