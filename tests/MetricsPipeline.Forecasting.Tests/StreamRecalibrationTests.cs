using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class StreamRecalibrationTests
{
    private static double StepOneCoverage(int recalibrationWindow)
    {
        var options = new StreamForecastOptions { Horizon = 6, TrainSize = 120, WindowSize = 30, MaxRank = 10, RecalibrationWindow = recalibrationWindow };
        var series = new OnlineSeriesForecaster(options, 0, "api", "requests", TimeSpan.FromMinutes(1));
        var rng = new Random(11);
        var (f, lo, up) = (new double[6], new double[6], new double[6]);
        double? lower = null, upper = null;
        int inside = 0, total = 0;
        for (int t = 0; t < 2000; t++)
        {
            double u1 = 1 - rng.NextDouble();
            double u2 = rng.NextDouble();
            double noise = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            // The noise triples after the first model trained: its training variances no longer hold.
            double x = 100 + (20 * Math.Sin(2 * Math.PI * t / 24)) + (noise * (t >= 150 ? 3 : 1));
            if (t >= 600 && lower is { } l && upper is { } u)
            {
                inside += x >= l && x <= u ? 1 : 0;
                total++;
            }

            if (series.Observe(t * 60_000_000_000L, x))
            {
                series.Forecast(f, lo, up);
                (lower, upper) = (lo[0], up[0]);
            }
        }

        return (double)inside / total;
    }

    [Fact]
    public void WhenTheNoiseGrowsAfterTrainingThenTheStreamsDefaultRecalibrationKeepsCoverageNearTheLevel()
    {
        Assert.Equal(100, new StreamForecastOptions().ModelOptions(120).RecalibrationWindow);
        double off = StepOneCoverage(0);
        double on = StepOneCoverage(new StreamForecastOptions().RecalibrationWindow);
        Assert.True(off < 0.8, $"without recalibration the training bounds should under-cover (got {off:P1})");
        Assert.InRange(on, 0.90, 0.98);
    }
}
