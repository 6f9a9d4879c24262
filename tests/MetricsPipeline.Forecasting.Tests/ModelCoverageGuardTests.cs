using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// Issue #4 (session 11): a retrained version was adopted by mean MASE alone, so a v2 whose bounds covered 79 % replaced
/// a v1 inside the band. The coverage guard (<see cref="StreamForecastOptions.MinModelCoverage"/>) keeps the running
/// model unless the new version is promoted.
/// </summary>
public sealed class ModelCoverageGuardTests
{
    private static readonly double[] Narrow = [0.79, 0.80, 0.78, 0.81, 0.80];
    private static readonly double[] Sane = [0.95, 0.94, 0.96, 0.95, 0.93];

    [Fact]
    public void WhenANewVersionScoresBetterButItsBoundsAreTooNarrowThenTheRunningModelIsKeptAndTheNoticeSaysWhy()
    {
        var (store, time, engine, notices) = Running(Sane);
        var key = engine.SeriesByKey.Keys.Single();

        Save(store, 0.3, Narrow, force: false);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("v1", StreamTestData.Feed(engine, 100, 101)[0].ModelVersion);
        Assert.Equal(1, engine.ModelsRejected);
        Assert.Equal(
            $"{key}: v2 not loaded: its bounds cover 79.6 % of the backtest values (mean over the horizon), below the 85 % of Analytics:Forecasting:MinModelCoverage, where the running v1's cover 94.6 %; retrain --promote loads it (or lower Analytics:Forecasting:MinModelCoverage)",
            notices[^1].Message);
    }

    [Theory]
    [InlineData(true, false, 0.85, "v2")]   // promoted
    [InlineData(false, true, 0.85, "v1")]   // AcceptWorseModels is about the score only
    [InlineData(false, false, 0.0, "v2")]   // the guard turned off
    [InlineData(false, false, 0.85, "v1")]
    public void WhenTheNewVersionIsTooNarrowThenOnlyPromotionOrTurningTheGuardOffLoadsIt(bool force, bool acceptWorse, double minCoverage, string expected)
    {
        var (store, time, engine, _) = Running(Sane, o =>
        {
            o.AcceptWorseModels = acceptWorse;
            o.MinModelCoverage = minCoverage;
        });

        Save(store, 0.3, Narrow, force);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(expected, StreamTestData.Feed(engine, 100, 101)[0].ModelVersion);
    }

    [Fact]
    public void WhenTheRunningModelIsOutsideTheBandTooThenABetterScoringVersionIsLoadedAsBefore()
    {
        var (store, time, engine, _) = Running([0.70, 0.72, 0.71, 0.70, 0.69]);

        Save(store, 0.3, Narrow, force: false);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("v2", StreamTestData.Feed(engine, 100, 101)[0].ModelVersion);
    }

    [Fact]
    public void WhenTheStreamRestartsThenItKeepsTheVersionInsideTheBandNotANewerTooNarrowOne()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        Save(store, 0.5, Sane, force: false);
        Save(store, 0.3, Narrow, force: false);
        var engine = new StreamForecastEngine(StreamTestData.Options(root), store, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        var notices = new List<ModelReloadNotice>();
        engine.ModelNotice = notices.Add;

        Assert.Equal("v1", StreamTestData.Feed(engine, 60, 61).Single().ModelVersion);
        Assert.Contains(notices, n => n.Message.Contains("v2 not loaded: its bounds cover 79.6 %", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenCoverageHasNonFiniteStepsThenTheMeanLeavesThemOut()
    {
        var meta = Meta(0.3, [0.9, double.NaN, 0.8], force: false);
        Assert.Equal(0.85, meta.MeanCoverage(), 12);
        Assert.True(double.IsNaN(Meta(0.3, [], force: false).MeanCoverage()));

        // A running model without coverage (trained in the stream, or metadata without it) is not protected.
        Assert.Null(Meta(0.3, Narrow, force: false).WhyNotAdopted(null, double.NaN, false, 0.85, "the running online"));
    }

    [Fact]
    public void WhenMinModelCoverageIsOutsideZeroToOneThenValidationNamesIt()
    {
        var options = StreamTestData.Options();
        options.MinModelCoverage = 1.5;
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Analytics:Forecasting:MinModelCoverage", ex.Message, StringComparison.Ordinal);
    }

    // A stream on minutes 0..99 that adopted v1 (score 0.5, coverage `coverage`) when its series appeared.
    private static (ModelStore Store, FakeTimeProvider Time, StreamForecastEngine Engine, List<ModelReloadNotice> Notices) Running(double[] coverage, Action<StreamForecastOptions>? configure = null)
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        Save(store, 0.5, coverage, force: false);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var options = StreamTestData.Options(root);
        configure?.Invoke(options);
        var engine = new StreamForecastEngine(options, store, time);
        var notices = new List<ModelReloadNotice>();
        engine.ModelNotice = notices.Add;
        StreamTestData.Feed(engine, 0, 100);
        Assert.Equal("v1", engine.SeriesByKey.Values.Single().ModelVersion);
        return (store, time, engine, notices);
    }

    private static ModelMetadata Meta(double score, double[] coverage, bool force) => new(
        StreamTestData.Observation(0, 0).SeriesKey, 0, score, [score], [0], coverage, 12, 6, -1,
        StreamTestData.T0 + (59 * StreamTestData.MinuteNs), 60, DateTimeOffset.UnixEpoch, force);

    private static void Save(ModelStore store, double score, double[] coverage, bool force)
    {
        var model = SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 60, Horizon = 5, MaxRank = 6, VariableHorizon = true },
            Enumerable.Range(0, 60).Select(Value).ToArray());
        store.Save(model, Meta(score, coverage, force) with { Rank = model.Rank });
    }

    private static double Value(int minute) => StreamTestData.Rate(minute, 0);
}
