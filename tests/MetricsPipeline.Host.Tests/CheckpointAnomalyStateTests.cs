using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Anomaly;
using MetricsPipeline.Host.Stages;
using MetricsPipeline.Ingest.Model;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>An anomaly stage restored from another's checkpoint scores, alerts and writes exactly as the original goes on to.</summary>
public sealed class CheckpointAnomalyStateTests
{
    private const long Minute = 60_000_000_000;
    private const long Origin = 1_700_000_000L * 1_000_000_000;
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99];

    [Theory]
    [InlineData(60)]
    [InlineData(155)]
    [InlineData(165)]
    public void WhenTheAnomalyStageIsRestoredMidStreamThenItsOutputEqualsTheOriginals(int cut)
    {
        var batches = Fleet(240, spikeFrom: 150, spikeTo: 170);
        var originalAlerts = new CapturingPublisher();
        var original = new AnomalyStage(new AnomalyStageOptions(), Quantiles, originalAlerts);
        var restoredAlerts = new CapturingPublisher();
        var restored = new AnomalyStage(new AnomalyStageOptions(), Quantiles, restoredAlerts);
        var expected = new List<string>();
        var actual = new List<string>();
        for (var i = 0; i < batches.Count; i++)
        {
            if (i == cut)
            {
                restored.RestoreState(original.SaveState());
                originalAlerts.Messages.Clear();
            }

            var points = original.OnWindows(batches[i]);
            if (i >= cut)
            {
                expected.AddRange(points.Select(Format));
                actual.AddRange(restored.OnWindows(batches[i]).Select(Format));
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Equal(originalAlerts.Messages, restoredAlerts.Messages);
        Assert.Equal(original.SeriesCount, restored.SeriesCount);
    }

    [Fact]
    public void WhenTheStateIsCorruptThenRestoringFailsWithAFormatException()
    {
        var stage = new AnomalyStage(new AnomalyStageOptions(), Quantiles, new CapturingPublisher());
        foreach (var batch in Fleet(30, 100, 100))
        {
            stage.OnWindows(batch);
        }

        var state = stage.SaveState();
        Assert.Throws<FormatException>(() => new AnomalyStage(new AnomalyStageOptions(), Quantiles, new CapturingPublisher()).RestoreState(state.AsSpan(0, state.Length - 5)));
        Assert.Throws<FormatException>(() => new AnomalyStage(new AnomalyStageOptions { Detector = "iid-spike" }, Quantiles, new CapturingPublisher()).RestoreState(state));
    }

    private static string Format(MetricPoint p) =>
        $"{p.Measurement},{string.Join(",", p.Tags.Select(t => t.Key + "=" + t.Value))} {string.Join(",", p.Fields.Select(f => f.Key + "=" + f.Value))} {p.TimestampNs}";

    // Three instances of api at ~100 req/s with a seasonal swing; minutes [spikeFrom, spikeTo) at three times that.
    private static List<AggregateBatch> Fleet(int minutes, int spikeFrom, int spikeTo)
    {
        var random = new Random(11);
        var batches = new List<AggregateBatch>();
        for (var m = 0; m < minutes; m++)
        {
            var start = Origin + (m * Minute);
            var factor = m >= spikeFrom && m < spikeTo ? 3.0 : 1.0;
            var windows = new List<WindowResult>();
            for (var i = 0; i < 3; i++)
            {
                var rate = factor * (100 + (10 * Math.Sin(m / 30.0)) + random.NextDouble());
                var cpu = (40 * factor) + random.NextDouble();
                windows.Add(new WindowResult(
                    i,
                    "service",
                    [new("instance", $"api-{i}"), new("region", "eu"), new("service", "api")],
                    TimeSpan.FromMinutes(1),
                    start,
                    [
                        new WindowFieldStats("cpu_percent", 6, cpu * 6, cpu, cpu, [cpu, cpu, cpu, cpu]),
                        new WindowFieldStats("request_rate", 6, rate * 6, rate, rate, [rate, rate, rate, rate]),
                    ]));
            }

            batches.Add(new AggregateBatch(windows, [], start + Minute));
        }

        return batches;
    }

    private sealed class CapturingPublisher : IAlertPublisher
    {
        public List<string> Messages { get; } = [];

        public void Publish(string key, byte[] value) => Messages.Add(key + " " + System.Text.Encoding.UTF8.GetString(value));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
