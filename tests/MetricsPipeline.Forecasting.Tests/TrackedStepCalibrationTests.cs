using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class TrackedStepCalibrationTests
{
    [Fact]
    public void WhenOnlySomeStepsAreTrackedThenTheOthersInterpolateTheirFactors()
    {
        var c = new OnlineBoundCalibrator(5, 0.9, window: 20, minSamples: 5, maxTrackedSteps: 3);
        // Actual 0 and half-width 1 make each step's ratio its forecast: 1, 3 and 5 at the tracked steps 0, 2, 4.
        double[] f = [1, 9, 3, 9, 5];
        double[] lo = [.. f.Select(v => v - 1)];
        double[] up = [.. f.Select(v => v + 1)];
        for (int t = 0; t < 40; t++)
        {
            c.Record(f, lo, up);
            c.Observe(0);
        }

        Assert.Equal(0, c.SampleCount(1));
        Assert.Equal(20, c.SampleCount(2));
        Assert.Equal(1, c.Factor(0), 12);
        Assert.Equal(2, c.Factor(1), 12);
        Assert.Equal(3, c.Factor(2), 12);
        Assert.Equal(4, c.Factor(3), 12);
        Assert.Equal(5, c.Factor(4), 12);
    }

    [Fact]
    public void WhenAStreamLengthHorizonModelIsRestoredThenItsTrackedCalibrationContinuesBitForBit()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 900).Select(t => 100 + (20 * Math.Sin(2 * Math.PI * t / 24)) + ((t > 200 ? 3 : 1) * rng.NextDouble())).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 200, Horizon = 60, MaxRank = 10, RecalibrationWindow = 100 };
        var original = SsaForecaster.Train(options, x);
        var (f1, l1, u1) = (new double[60], new double[60], new double[60]);
        for (int t = 200; t < 500; t++)
        {
            original.Consume(x[t]);
            original.Forecast(f1, l1, u1);
        }

        var restored = original.Clone();
        (_, l1, u1) = ForecastTwins.AssertContinueIdentically(original, restored, x, 500, 900, 60);

        // The bounds were rescaled: the last (tracked) step's width differs from the model's own.
        double own = 2 * NormalQuantile.Probit(0.975) * original.StandardDeviations(60)[59];
        Assert.NotEqual(own, u1[59] - l1[59], 6);
    }
}
