using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class OnlineBoundCalibratorTests
{
    [Fact]
    public void WhenErrorsAreTwiceTheHalfWidthThenTheFactorBecomesTwoOnlyAfterTheErrorsMature()
    {
        var c = new OnlineBoundCalibrator(horizon: 2, confidenceLevel: 0.95, window: 50, minSamples: 10);
        var f = new double[] { 10, 10 };
        var lo = new double[] { 9, 9 };
        var up = new double[] { 11, 11 };
        for (int t = 0; t < 40; t++)
        {
            c.Observe(t == 0 ? double.NaN : 12);
            c.Record(f, lo, up);
        }

        // 39 actuals matured for step 1; step 2 one fewer. Each error is 2, each half-width 1.
        Assert.Equal(39, c.SampleCount(0));
        Assert.Equal(38, c.SampleCount(1));
        Assert.Equal(2, c.Factor(0), 12);
        var (l2, u2) = ((double[])lo.Clone(), (double[])up.Clone());
        c.Adjust(f, l2, u2);
        Assert.Equal([8, 8], l2);
        Assert.Equal([12, 12], u2);
    }

    [Fact]
    public void WhenFewerThanMinSamplesMatureThenTheModelBoundsAreKept()
    {
        var c = new OnlineBoundCalibrator(3, 0.9, window: 20, minSamples: 5);
        var f = new double[] { 1, 2, 3 };
        var lo = new double[] { 0, 1, 2 };
        var up = new double[] { 2, 3, 4 };
        for (int t = 0; t < 5; t++)
        {
            c.Observe(100);
            c.Record(f, lo, up);
        }

        // Step 1 has 4 matured errors, step 3 only 2: both below minSamples.
        Assert.Equal(4, c.SampleCount(0));
        c.Adjust(f, lo, up);
        Assert.Equal([0, 1, 2], lo);
        Assert.Equal([2, 3, 4], up);
    }

    [Fact]
    public void WhenTheWindowIsFullThenOldRatiosAreEvictedAndTheFactorFollowsTheRecentErrors()
    {
        var c = new OnlineBoundCalibrator(1, 0.5, window: 10, minSamples: 10);
        var f = new double[] { 0 };
        var lo = new double[] { -1 };
        var up = new double[] { 1 };
        c.Record(f, lo, up);
        for (int t = 0; t < 30; t++)
        {
            c.Observe(t < 15 ? 5 : 0.5);
            c.Record(f, lo, up);
        }

        Assert.Equal(10, c.SampleCount(0));
        Assert.Equal(0.5, c.Factor(0), 12);
    }

    [Fact]
    public void WhenTheBacktestRecalibratesThenCoverageOfADriftingNoiseLevelMovesTowardTheTarget()
    {
        var rng = new Random(11);
        var x = Enumerable.Range(0, 2400).Select(t => 10 + (5 * Math.Sin(2 * Math.PI * t / 24)) + ((t > 800 ? 3 : 0.3) * (rng.NextDouble() - 0.5))).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 49, SeriesLength = 50, TrainSize = 800, Horizon = 4 };
        var raw = Backtester.Run(x, options, 24);
        var online = Backtester.Run(x, options, 24, recalibrationWindow: 200);
        Assert.True(raw.Steps[0].Coverage < 0.8, $"raw coverage {raw.Steps[0].Coverage}");
        Assert.All(online.Steps, s => Assert.InRange(s.Coverage, 0.9, 0.98));
        Assert.Equal(raw.Steps[0].Mase, online.Steps[0].Mase, 12);
    }
}
