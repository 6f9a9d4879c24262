using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>A series that comes back after a gap longer than MaxGapSteps, with a model in the store.</summary>
public sealed class StreamGapReloadTests
{
    private static double Value(int minute) => StreamTestData.Rate(minute, 0);

    [Fact]
    public void WhenASeriesComesBackAfterALongGapThenItStartsFromTheStoredVersionAsANewSeriesWould()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        var key = StreamTestData.Observation(0, 0).SeriesKey;
        var model = SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 60, Horizon = 5, MaxRank = 6, VariableHorizon = true },
            Enumerable.Range(0, 60).Select(Value).ToArray());
        store.Save(model, new ModelMetadata(key, 0, 0.5, [0.5], [0], [0.95], 12, model.Rank, -1, StreamTestData.T0 + (59 * StreamTestData.MinuteNs), 60, DateTimeOffset.UnixEpoch, false));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var engine = new StreamForecastEngine(StreamTestData.Options(root), store, time);
        Assert.Equal("v1", StreamTestData.Feed(engine, 60, 70)[^1].ModelVersion);

        // 29 windows missing (> MaxGapSteps 10): the series restarts; the store has not changed since.
        var back = engine.Process([StreamTestData.Observation(100, Value(100))]);

        var forecast = Assert.Single(back);
        Assert.Equal("v1", forecast.ModelVersion);
        Assert.Equal(2, engine.ModelsLoaded);
    }
}
