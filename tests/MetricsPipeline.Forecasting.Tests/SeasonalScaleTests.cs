using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SeasonalScaleTests
{
    private static double[] Sine(int n, double noise)
    {
        var random = new Random(3);
        return Enumerable.Range(0, n).Select(i => 10 + Math.Sin(2 * Math.PI * i / 24) + (noise * (random.NextDouble() - 0.5))).ToArray();
    }

    [Fact]
    public void WhenTheSeriesRepeatsItsSeasonUpToRoundingThenTheScaleIsOneAndTheMaseStaysSmall()
    {
        var x = Sine(480, 0);
        Assert.Equal(1, Backtester.SeasonalScale(x.AsSpan(0, 240), 24));

        // Rank 3: the level and the sine. Before: the scale was the sine's rounding (~1.4e-15), so a forecast error of
        // rounding size read as a MASE of order 1 or far above it.
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 240, Horizon = 6, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 3 };
        var report = Backtester.Run(x, options, season: 24);
        Assert.All(report.Steps, s => Assert.InRange(s.Mase, 0, 1e-3));
    }

    [Fact]
    public void WhenTheSeasonalDifferencesAreSmallButRealThenTheScaleIsTheirMeanAbsoluteValue()
    {
        var x = Sine(480, 1e-6);
        double scale = Backtester.SeasonalScale(x.AsSpan(0, 240), 24);

        // Uniform noise of width 1e-6 on both ends: E|U1 − U2| = 1e-6 / 3.
        Assert.InRange(scale, 0.25e-6, 0.42e-6);
    }
}
