using MetricsPipeline.Forecasting.History;
using MetricsPipeline.Forecasting.Retraining;
using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class ModelRetrainerTests
{
    [Fact]
    public void WhenTheHistoryIsRetrainedThenEachServiceGetsAScoredVersionTrainedThroughItsLastWindow()
    {
        var history = StreamTestData.TempDir();
        using (var writer = new WindowHistoryWriter(history, StreamTestData.Quantiles))
        {
            for (var m = 0; m < 240; m++)
            {
                if (m is 100 or 101)
                {
                    continue; // a short gap, filled as the stream fills it
                }

                writer.Append([StreamTestData.Row(m, "api", 0), StreamTestData.Row(m, "api", 1), StreamTestData.Row(m, "web", 0)]);
            }
        }

        var store = new ModelStore(StreamTestData.TempDir());
        var aggregator = new ServiceSeriesAggregator([new ForecastSeriesOptions { Name = "request_rate" }], StreamTestData.Quantiles);
        var series = SeriesHistory.Build(aggregator.Aggregate(WindowHistoryReader.Read(history, "1m")), _ => TimeSpan.FromMinutes(1), 10);
        var retrainer = new ModelRetrainer(store) { Horizon = 10 };

        var outcomes = series.Select(s => retrainer.Retrain(s)).ToList();

        Assert.Equal(["service.request_rate.mean.1m|service=api", "service.request_rate.mean.1m|service=web"], outcomes.Select(o => o.SeriesKey));
        Assert.All(series, s => Assert.Equal(240, s.Values.Length));
        Assert.Equal(series[0].Values[99], series[0].Values[100]);
        foreach (var outcome in outcomes)
        {
            var meta = Assert.IsType<ModelMetadata>(outcome.Stored);
            Assert.Equal(1, meta.Version);
            Assert.True(double.IsFinite(meta.Score) && meta.Score > 0, $"score {meta.Score}");
            Assert.Equal(10, meta.Mase.Length);
            Assert.Equal(StreamTestData.T0 + (239 * StreamTestData.MinuteNs), meta.TrainedThroughNs);
            Assert.Equal(240, meta.TrainedPoints);
            // The chosen model is recorded in words (SsaTuning.Describe) and read back with the version.
            Assert.False(string.IsNullOrEmpty(meta.Model));
            Assert.Equal(meta.Model, store.LoadLatest(outcome.SeriesKey)!.Metadata.Model);
        }
    }

    [Fact]
    public void WhenASeriesIsTooShortThenItIsSkippedWithAReason()
    {
        var outcome = new ModelRetrainer(new ModelStore(StreamTestData.TempDir())).Retrain(new SeriesHistory(0, "api", "k", [1, 2, 3], [1, 2, 3]));
        Assert.Null(outcome.Stored);
        Assert.Contains("only 3 windows", outcome.Reason, StringComparison.Ordinal);
    }
}
