using MetricsPipeline.Forecasting.Retraining;
using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class StreamForecastEngineTests
{
    private static double Value(int minute) => StreamTestData.Rate(minute, 0);

    [Fact]
    public void WhenTrainSizeWindowsHaveArrivedThenTheSeriesTrainsAndForecastsEveryWindow()
    {
        var engine = new StreamForecastEngine(StreamTestData.Options(), null);

        Assert.Empty(StreamTestData.Feed(engine, 0, 59));
        var forecasts = StreamTestData.Feed(engine, 59, 100);

        Assert.Equal(41, forecasts.Count);
        Assert.Equal(1, engine.ModelsTrained);
        var last = forecasts[^1];
        Assert.Equal("api", last.Service);
        Assert.Equal("request_rate", last.Metric);
        Assert.Equal("online", last.ModelVersion);
        Assert.Equal(5, last.Horizon);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks((StreamTestData.T0 + (99 * StreamTestData.MinuteNs)) / 100), last.Origin);
        for (var k = 0; k < 5; k++)
        {
            Assert.True(last.Lower[k] <= last.Value[k] && last.Value[k] <= last.Upper[k]);
            Assert.InRange(last.Value[k], 60, 150); // the series lives in [80, 135]
        }
    }

    [Fact]
    public void WhenWindowsAreMissingThenShortGapsAreFilledAndLongGapsRestartTheSeries()
    {
        var engine = new StreamForecastEngine(StreamTestData.Options(), null);
        StreamTestData.Feed(engine, 0, 70);
        var series = engine.SeriesByKey.Values.Single();
        Assert.NotEmpty(engine.Process([StreamTestData.Observation(73, Value(73))])); // 3 missing ≤ 10: filled
        Assert.Equal(74, series.Buffered);

        Assert.Empty(engine.Process([StreamTestData.Observation(100, Value(100))])); // 26 missing: restart
        Assert.Null(series.Model);
        Assert.Equal(1, series.Buffered);
    }

    [Fact]
    public void WhenABetterModelIsStoredThenTheRunningStreamLoadsItAtTheNextReloadAndCatchesItUp()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var engine = new StreamForecastEngine(StreamTestData.Options(root), store, time);
        StreamTestData.Feed(engine, 0, 100);
        Assert.Equal("online", engine.SeriesByKey.Values.Single().ModelVersion);

        // The retraining job saw minutes 0..89 only; the stream has consumed up to 99 since.
        var values = Enumerable.Range(0, 90).Select(Value).ToArray();
        var starts = Enumerable.Range(0, 90).Select(m => StreamTestData.T0 + (m * StreamTestData.MinuteNs)).ToArray();
        var outcome = new ModelRetrainer(store) { Horizon = 5 }.Retrain(new SeriesHistory(0, "api", StreamTestData.Observation(0, 0).SeriesKey, starts, values));
        Assert.NotNull(outcome.Stored);

        Assert.Equal("online", StreamTestData.Feed(engine, 100, 101)[0].ModelVersion); // not yet: the reload interval has not passed
        time.Advance(TimeSpan.FromSeconds(30));
        var after = StreamTestData.Feed(engine, 101, 102)[0];

        Assert.Equal("v1", after.ModelVersion);
        Assert.Equal(1, engine.ModelsLoaded);
        // Same forecast as the stored model fed minutes 90..101 directly.
        var reference = store.Load(outcome.SeriesKey, 1).Model;
        for (var m = 90; m <= 101; m++)
        {
            reference.Consume(Value(m));
        }

        var expected = new double[5];
        reference.Forecast(expected);
        Assert.Equal(expected, after.Value);
    }

    [Theory]
    [InlineData(false, false, "v1")]
    [InlineData(true, false, "v2")]
    [InlineData(false, true, "v2")]
    public void WhenANewVersionScoresWorseThenItIsLoadedOnlyWhenForcedOrAccepted(bool force, bool acceptWorse, string expectedVersion)
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        var key = StreamTestData.Observation(0, 0).SeriesKey;
        var model = SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 60, Horizon = 5, MaxRank = 6, VariableHorizon = true },
            Enumerable.Range(0, 60).Select(Value).ToArray());
        ModelMetadata Meta(double score, bool forced) => new(key, 0, score, [score], [0], [0.95], 12, model.Rank, -1, StreamTestData.T0 + (59 * StreamTestData.MinuteNs), 60, DateTimeOffset.UnixEpoch, forced);
        store.Save(model, Meta(0.5, false));
        var options = StreamTestData.Options(root);
        options.AcceptWorseModels = acceptWorse;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var engine = new StreamForecastEngine(options, store, time);
        Assert.Equal("v1", StreamTestData.Feed(engine, 60, 61)[0].ModelVersion); // a new series starts from the store's model

        store.Save(model, Meta(0.9, force));
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(expectedVersion, StreamTestData.Feed(engine, 61, 62)[0].ModelVersion);
        Assert.Equal(expectedVersion == "v1" ? 1 : 0, engine.ModelsRejected);
    }

    [Fact]
    public void WhenManySeriesAreReadyAtOnceThenOnlyMaxTrainingsPerBatchTrainInOneBatch()
    {
        var options = StreamTestData.Options();
        options.MaxTrainingsPerBatch = 2;
        var engine = new StreamForecastEngine(options, null);
        string Key(int s) => $"service.request_rate.mean.1m|service=s{s}";
        List<ServiceForecast> Minute(int m) => engine.Process(Enumerable.Range(0, 5).Select(s => StreamTestData.Observation(m, Value(m) + s, Key(s))).ToList());
        for (var m = 0; m < 59; m++)
        {
            Minute(m);
        }

        Assert.Equal(2, Minute(59).Count);
        Assert.Equal(4, Minute(60).Count);
        Assert.Equal(5, Minute(61).Count);
        Assert.Equal(5, engine.ModelsTrained);
    }
}
