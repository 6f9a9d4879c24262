using System.Diagnostics;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Forecasting;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Issue 4's speed target: one core keeps 10 000 series forecasting on 1-minute windows. Drives the forecasting stage
/// with 10 000 single-instance services (horizon 60, the defaults) through training and steady state, and checks that
/// a minute's batch takes well under a minute on this thread.
/// </summary>
public sealed class ForecastStageThroughputTests
{
    private const int Series = 10_000;
    private const long MinuteNs = 60_000_000_000;
    private const long T0 = 1_790_002_800L * 1_000_000_000;

    [Fact]
    public void WhenTenThousandSeriesCloseAMinuteWindowThenTheStageFinishesWellWithinTheMinute()
    {
        var options = new StreamForecastOptions { Series = [new ForecastSeriesOptions { Name = "request_rate" }] }; // steps 1, 5, 15, 30, 60 written
        var stage = new ForecastStage(new StreamForecastEngine(options, null), ["p50", "p90", "p95", "p99"], NullLogger.Instance);
        var tags = Enumerable.Range(0, Series).Select(i => (IReadOnlyList<KeyValuePair<string, string>>)[new("instance", $"i{i}"), new("service", $"s{i}")]).ToArray();
        var quantiles = new double[4];
        AggregateBatch Minute(int m) => new(
            Enumerable.Range(0, Series).Select(i =>
            {
                var v = 100 + (i % 50) + (20 * Math.Sin((2 * Math.PI * m / 45.0) + i)) + ((m * 31 + i) % 7);
                return new WindowResult(i, "service", tags[i], TimeSpan.FromMinutes(1), T0 + (m * MinuteNs), [new WindowFieldStats("request_rate", 6, 6 * v, v, v, quantiles)]);
            }).ToList(),
            [],
            T0 + (m * MinuteNs));

        var buffering = Stopwatch.StartNew();
        for (var m = 0; m < options.TrainSize - 1; m++)
        {
            Assert.Empty(stage.OnWindows(Minute(m)));
        }

        buffering.Stop();
        // Series train MaxTrainingsPerBatch (1000) per batch, so training spreads over ten minutes.
        var training = TimeSpan.Zero;
        var trainingMinutes = 0;
        var minute = options.TrainSize - 1;
        IReadOnlyList<MetricsPipeline.Ingest.Model.MetricPoint> points;
        while (stage.Engine.ModelsTrained < Series)
        {
            var batch = Minute(minute++);
            var sw = Stopwatch.StartNew();
            stage.OnWindows(batch);
            var elapsed = sw.Elapsed;
            training = elapsed > training ? elapsed : training;
            trainingMinutes++;
            Assert.True(trainingMinutes <= 10, $"{stage.Engine.ModelsTrained} series trained after {trainingMinutes} minutes");
        }

        var steady = new List<TimeSpan>();
        for (var m = minute; m < minute + 5; m++)
        {
            var batch = Minute(m);
            var sw = Stopwatch.StartNew();
            points = stage.OnWindows(batch);
            steady.Add(sw.Elapsed);
            Assert.Equal(Series * 5, points.Count);
        }

        var median = steady.Order().ElementAt(steady.Count / 2);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"10 000 series: buffering {buffering.Elapsed.TotalMilliseconds / (options.TrainSize - 1):F1} ms/minute, {trainingMinutes} training minutes, the slowest {training.TotalSeconds:F2} s, steady minute (consume + 60-step forecast + 50 000 points) median {median.TotalMilliseconds:F0} ms");
        Assert.True(median < TimeSpan.FromSeconds(20), $"a steady minute took {median.TotalSeconds:F1} s");
        Assert.True(training < TimeSpan.FromSeconds(20), $"a training minute took {training.TotalSeconds:F1} s");
    }
}
