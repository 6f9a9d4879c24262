using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SsaTuningTests
{
    [Fact]
    public void WhenTheTunerChoseAFixedRankThenApplyRankSwitchesToFixedAndRaisesTheCap()
    {
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 100, MaxRank = 2 };
        new SsaTuning(24, 23, 12, 0.5, 1, Rank: 4).ApplyRank(options);
        Assert.Equal(RankSelectionMethod.Fixed, options.RankSelectionMethod);
        Assert.Equal(4, options.Rank);
        Assert.Equal(4, options.MaxRank);
        options.Validate();
    }

    [Fact]
    public void WhenTheTunerKeptExactOrTheWindowDiffersThenApplyRankChangesNothing()
    {
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 100 };
        new SsaTuning(24, 23, 12, 0.5).ApplyRank(options);
        new SsaTuning(48, 40, 12, 0.5, 1, Rank: 3).ApplyRank(options);
        Assert.Equal(RankSelectionMethod.Exact, options.RankSelectionMethod);
        Assert.Null(options.Rank);
    }

    [Fact]
    public void WhenASeriesIsALowRankSeasonPlusNoiseThenTheTunerPrefersASmallFixedRankOverExact()
    {
        // Exact selection on heavy white noise keeps noise components; the inner backtest (training rows only) does not.
        var rng = new Random(3);
        var x = Enumerable.Range(0, 900).Select(t => 20 + (6 * Math.Sin(2 * Math.PI * t / 24)) + (4 * (rng.NextDouble() - 0.5))).ToArray();
        var tuning = SsaAutoTuner.Tune(x, 6, windowSize: 48, season: 24);
        var exact = new SsaForecasterOptions { WindowSize = 48, SeriesLength = 49, TrainSize = 630, Horizon = 6, MaxRank = tuning.MaxRank };
        var tuned = exact.Clone();
        tuning.ApplyRank(tuned);
        double exactScore = Backtester.Run(x, exact, 24).MeanMase;
        TestContext.Current.SendDiagnosticMessage($"tuning {tuning}; exact mean MASE {exactScore:F4}");
        Assert.True(tuning.Score <= exactScore + 1e-12, $"{tuning} vs exact {exactScore}");
        Assert.NotNull(tuning.Rank);
        Assert.InRange(tuning.Rank!.Value, 1, 4);
    }
}
