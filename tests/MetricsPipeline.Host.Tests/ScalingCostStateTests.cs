using System.Text;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The cost engine's state in the scaling stage's checkpoint (issue 9): over days of hourly windows (daily costs,
/// projections, automatic budgets, cost anomalies and utilisation recommendations), a restart from the whole state and
/// a takeover of one service's keys continue exactly as the uninterrupted stage, cost alerts included.
/// </summary>
public sealed class ScalingCostStateTests
{
    private const long HourNs = 3_600_000_000_000;
    private const long T0 = 1_790_035_200L * 1_000_000_000; // a midnight (UTC)

    [Theory]
    [InlineData(4 * 24 + 5)]
    [InlineData(6 * 24 + 13)]
    public void WhenTheWholeStateIsRestoredThenTheRestartedStageContinuesExactly(int cut)
    {
        var original = new Harness();
        var restarted = new Harness();
        var expected = new List<string>();
        var actual = new List<string>();
        for (var h = 0; h < 9 * 24; h++)
        {
            if (h == cut)
            {
                var state = original.Stage.SaveState();
                restarted.Stage.RestoreState(state);
                Assert.Equal(state, restarted.Stage.SaveState());
            }

            var batch = Batch(h, ["api", "web"]);
            var outputs = original.Run(batch);
            if (h >= cut)
            {
                expected.AddRange(outputs);
                actual.AddRange(restarted.Run(batch));
            }
        }

        AssertCostAlerts(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WhenASurvivorMergesATakenOverServiceThenItsCostPointsAndAlertsContinueExactly()
    {
        const int cut = (5 * 24) + 7;
        var original = new Harness();
        var survivor = new Harness();
        var apiKeys = new List<string>();
        foreach (var window in Batch(0, ["api"]).Windows)
        {
            survivor.Stage.CollectKeys(window, apiKeys);
        }

        var expected = new List<string>();
        var actual = new List<string>();
        for (var h = 0; h < 9 * 24; h++)
        {
            if (h == cut)
            {
                var saved = original.Stage.SaveKeys(apiKeys);
                Assert.Equal(["api"], survivor.Stage.MergeKeys(saved, _ => true));
                Assert.Equal(saved, survivor.Stage.SaveKeys(apiKeys));
            }

            var both = Batch(h, ["api", "web"]);
            var outputs = Api(original.Run(both));
            if (h >= cut)
            {
                expected.AddRange(outputs);
                actual.AddRange(Api(survivor.Run(both)));
            }
            else
            {
                survivor.Run(Batch(h, ["web"]));
            }
        }

        AssertCostAlerts(expected);
        Assert.Equal(expected, actual);
    }

    // api's points and messages only: the "total" scope and web's state differ by design (the survivor saw web only).
    private static List<string> Api(List<string> outputs) =>
        [.. outputs.Where(o => o.Contains("service=api", StringComparison.Ordinal) || o.Contains("scope=api", StringComparison.Ordinal) || o.StartsWith("cost-alerts api ", StringComparison.Ordinal))];

    private static void AssertCostAlerts(List<string> outputs)
    {
        // The scenario must reach the cost engine's day-end work after the cut: daily costs, projections, alerts.
        Assert.Contains(outputs, o => o.StartsWith("cost-alerts api ", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.StartsWith("cost,horizon=monthly,scope=api ", StringComparison.Ordinal));
    }

    // Hourly windows of three instances per service; api runs at 3 instances, 9 on day 6 (a cost anomaly, budget
    // crossings), and idles at 12 % CPU on day 7 (a utilisation recommendation).
    private static AggregateBatch Batch(int hour, string[] services)
    {
        var windows = new List<WindowResult>();
        var day = hour / 24;
        foreach (var service in services)
        {
            var api = service == "api";
            var instances = api && day == 6 ? 9 : 3;
            var cpu = api && day == 7 ? 12 : 45 + (hour % 5);
            for (var i = 0; i < 3; i++)
            {
                windows.Add(new WindowResult(
                    (api ? 0 : 3) + i,
                    "service",
                    [new("instance", $"{service}-{i}"), new("service", service)],
                    TimeSpan.FromHours(1),
                    T0 + (hour * HourNs),
                    [
                        Stat("request_rate", 100 + (hour % 24)),
                        Stat("cpu_percent", cpu),
                        Stat("memory_percent", 45),
                        Stat("error_rate", 0.2),
                        Stat("instances", instances),
                    ]));
            }
        }

        return new AggregateBatch(windows, [], T0 + ((hour + 1) * HourNs));
    }

    private static WindowFieldStats Stat(string field, double v) => new(field, 6, 6 * v, v, v, [v, v, v, v]);

    private sealed class Harness
    {
        private readonly List<string> _messages = [];

        public Harness()
        {
            var options = new ScalingStageOptions { PredictiveEnabled = false, WindowSize = TimeSpan.FromHours(1) };
            options.Cost.Enabled = true;
            var settings = new PipelineSettings();
            settings.Windows.Sizes = [TimeSpan.FromHours(1)];
            Stage = new ScalingStage(options, settings, (topic, key, value) => _messages.Add($"{topic} {key} {Encoding.UTF8.GetString(value)}"));
        }

        public ScalingStage Stage { get; }

        // The points of a batch, then the messages (commands, alerts, cost alerts) it published.
        public List<string> Run(AggregateBatch batch)
        {
            var outputs = Stage.OnWindows(batch).Select(Format).ToList();
            outputs.AddRange(_messages);
            _messages.Clear();
            return outputs;
        }

        private static string Format(MetricPoint p) =>
            $"{p.Measurement},{string.Join(",", p.Tags.Select(t => t.Key + "=" + t.Value))} {string.Join(",", p.Fields.Select(f => f.Key + "=" + f.Value))} {p.TimestampNs}";
    }
}
