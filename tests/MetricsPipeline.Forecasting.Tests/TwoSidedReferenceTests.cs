using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class TwoSidedReferenceTests
{
    [Fact]
    public void WhenTheSeriesIsSmallThenTheLowestSpanErrorMatchesTheHandComputedMedians()
    {
        // Targets rows 2..5 at step 1 (row 6 has nothing after it). Mean |error| per span: 1 → 5.25, 2 → 3.5,
        // 4 → 3.375, 8 and more → 3.5 (worked by hand: e.g. span 4, row 4 = 3 against median{1,5,2,8 | 9,4} = 4.5).
        double[] series = [1, 5, 2, 8, 3, 9, 4];

        var (mase, span) = TwoSidedReference.Compute(series, firstTarget: 2, step: 1, scale: 2);

        Assert.Equal(4, span);
        Assert.Equal(3.375 / 2, mase, 12);
    }

    [Fact]
    public void WhenTheNearestNeighboursAreMissingThenOnlyRowsWithValuesOnBothSidesCount()
    {
        // Step 2: row 2 would use rows 0 and 4; row 4 is missing, so only rows 5+ after it, i.e. none within span 1.
        double[] series = [10, 10, 10, 10, double.NaN, 10, 10];

        var (mase, span) = TwoSidedReference.Compute(series, firstTarget: 2, step: 2, scale: 1);

        Assert.Equal(0, mase);
        Assert.True(span >= 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoSidedReference.Compute(series, 2, 0, 1));
        Assert.True(double.IsNaN(TwoSidedReference.Compute([1, 2, 3], 2, 1, 1).Mase));
    }

    [Fact]
    public void WhenTheTestRowsAreNoisierThanTheTrainingRowsThenTheReferenceAndTheModelBothScoreAboveOne()
    {
        // A constant level with noise σ = 1 in the training half; the test half has σ = 1 (calm) or σ = 3 (noisy).
        static double[] Series(double testSigma)
        {
            var random = new Random(7);
            return Enumerable.Range(0, 2000).Select(i => 50 + ((i < 1000 ? 1 : testSigma) * Gaussian(random))).ToArray();
        }

        foreach (var (sigma, noisier) in new[] { (1.0, false), (3.0, true) })
        {
            var x = Series(sigma);
            var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 1000, Horizon = 6 };
            var report = Backtester.Run(x, options, season: 1);
            var step = report.Steps[5];
            TestContext.Current.SendDiagnosticMessage($"σ {sigma}: model {step.Mase:F3}, two-sided {step.TwoSidedMase:F3} (span {step.TwoSidedSpan})");
            if (noisier)
            {
                // Tripled noise: even the estimate that sees both sides cannot get under the training rows' error.
                Assert.True(step.TwoSidedMase > 1.5, $"two-sided {step.TwoSidedMase}");
                Assert.True(step.Mase > step.TwoSidedMase, $"model {step.Mase} vs two-sided {step.TwoSidedMase}");
            }
            else
            {
                // Same noise: the median of many neighbours is close to the level, about E|X|/E|X−X'| = 1/√2 of the scale.
                Assert.InRange(step.TwoSidedMase, 0.6, 0.85);
                Assert.True(step.TwoSidedSpan >= 16, $"span {step.TwoSidedSpan}");
            }
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
