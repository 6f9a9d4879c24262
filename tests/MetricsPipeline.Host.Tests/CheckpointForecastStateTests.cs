using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Forecasting;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>A forecast stage restored from another's checkpoint forecasts exactly as the original goes on to.</summary>
public sealed class CheckpointForecastStateTests
{
    private const long MinuteNs = 60_000_000_000;
    private const long T0 = 1_790_002_800L * 1_000_000_000;
    private static readonly string[] QuantileNames = ["p50", "p90", "p95", "p99"];

    [Theory]
    [InlineData(30)]
    [InlineData(61)]
    [InlineData(75)]
    public void WhenTheForecastStageIsRestoredMidStreamThenItsForecastsEqualTheOriginals(int cut)
    {
        var original = Stage();
        var restored = Stage();
        var expected = new List<string>();
        var actual = new List<string>();
        for (var m = 0; m < 100; m++)
        {
            if (m == cut)
            {
                restored.RestoreState(original.SaveState());
            }

            var batch = new AggregateBatch([Window(m, "api", 0), Window(m, "api", 1), Window(m, "web", 0)], [], T0 + ((m + 1) * MinuteNs));
            var points = original.OnWindows(batch);
            if (m >= cut)
            {
                expected.AddRange(points.Select(Format));
                actual.AddRange(restored.OnWindows(batch).Select(Format));
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Equal(original.Engine.SeriesByKey.Keys.Order(), restored.Engine.SeriesByKey.Keys.Order());
    }

    [Fact]
    public void WhenTheStateIsTruncatedOrForOtherSeriesThenRestoringFailsWithAFormatException()
    {
        var stage = Stage();
        for (var m = 0; m < 70; m++)
        {
            stage.OnWindows(new AggregateBatch([Window(m, "api", 0)], [], T0));
        }

        var state = stage.SaveState();
        Assert.Throws<FormatException>(() => Stage().RestoreState(state.AsSpan(0, state.Length / 2)));
        var other = new ForecastStage(
            new StreamForecastEngine(new StreamForecastOptions { Series = [new ForecastSeriesOptions { Name = "other", Field = "cpu_percent" }], Horizon = 4, TrainSize = 60, WindowSize = 12, MaxRank = 6 }, null),
            QuantileNames,
            NullLogger.Instance);
        Assert.Throws<FormatException>(() => other.RestoreState(state));
    }

    private static ForecastStage Stage() => new(
        new StreamForecastEngine(new StreamForecastOptions { Series = [new ForecastSeriesOptions { Name = "request_rate" }], Horizon = 4, WriteEveryStep = true, TrainSize = 60, WindowSize = 12, MaxRank = 6 }, null),
        QuantileNames,
        NullLogger.Instance);

    private static double Rate(int minute, int instance) => 100 + (20 * Math.Sin(2 * Math.PI * minute / 30.0)) + (instance * 10) + ((minute * 7919 % 13) / 3.0);

    private static WindowResult Window(int minute, string service, int instance) =>
        new(
            instance,
            "service",
            [new("instance", $"{service}-{instance}"), new("service", service)],
            TimeSpan.FromMinutes(1),
            T0 + (minute * MinuteNs),
            [
                new WindowFieldStats("request_rate", 6, 6 * Rate(minute, instance), 0, 1000, [1, 2, 3, 4]),
                new WindowFieldStats("cpu_percent", 6, 60, 0, 100, [1, 2, 3, 4]),
            ]);

    private static string Format(MetricPoint p) =>
        $"{p.Measurement},{string.Join(",", p.Tags.Select(t => t.Key + "=" + t.Value))} {string.Join(",", p.Fields.Select(f => f.Key + "=" + f.Value))} {p.TimestampNs}";
}
