using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>Backtest steps without a single scored forecast (session 10 audit of issue 4 item 5).</summary>
public sealed class BacktestEmptyStepTests
{
    private static double[] Seasonal(int count)
    {
        var random = new Random(11);
        return Enumerable.Range(0, count).Select(t => 100 + (10 * Math.Sin(2 * Math.PI * t / 24)) + random.NextDouble()).ToArray();
    }

    [Fact]
    public void WhenAStepLiesBeyondTheTestRowsThenItsErrorsAreNaNNotAPerfectZero()
    {
        // 3 test rows and a horizon of 6: step 3 has one target, steps 4 to 6 none.
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 200, Horizon = 6 };
        var report = Backtester.Run(Seasonal(203), options, season: 24);

        Assert.Equal(1, report.Steps[2].Count);
        Assert.True(double.IsFinite(report.Steps[2].Mase) && report.Steps[2].Mase > 0);
        foreach (var step in report.Steps.Skip(3))
        {
            Assert.Equal(0, step.Count);
            Assert.True(double.IsNaN(step.Mase), $"step {step.Step}: mase {step.Mase}");
            Assert.True(double.IsNaN(step.Smape) && double.IsNaN(step.Coverage), $"step {step.Step}: smape {step.Smape}, coverage {step.Coverage}");
            Assert.True(double.IsNaN(step.SeasonalNaiveMase) && double.IsNaN(step.NaiveMase), $"step {step.Step}: baselines {step.SeasonalNaiveMase}, {step.NaiveMase}");
        }
    }

    [Fact]
    public void WhenTheSeasonIsLongerThanTheSeriesThenTheSeasonalNaiveErrorIsNaNAndTheModelsIsNot()
    {
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 200, Horizon = 2 };
        var report = Backtester.Run(Seasonal(260), options, season: 500);

        Assert.True(report.Steps[0].Count > 0);
        Assert.True(double.IsFinite(report.Steps[0].Mase));
        Assert.True(double.IsNaN(report.Steps[0].SeasonalNaiveMase), $"seasonal naive {report.Steps[0].SeasonalNaiveMase}");
        Assert.True(double.IsNaN(report.Steps[0].SeasonalNaiveSmape));
    }
}
