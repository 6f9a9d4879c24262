using CsCheck;
using MetricsPipeline.Anomaly.Numerics;
using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class KernelPValueEstimatorTests
{
    [Fact]
    public void WhenTheHistoryIsEmptyThenThePValueIsOneHalfAndARepeatGivesMlNetsErfZeroOffset()
    {
        var kde = new KernelPValueEstimator(10);
        Assert.Equal(0.5, kde.Update(5));
        Assert.Equal(0.4999999995, kde.Update(5), 15);
    }

    [Fact]
    public void WhenTheErfIsEvaluatedThenItIsTheAbramowitzStegunApproximation()
    {
        Assert.Equal(1e-9, AbramowitzStegun.Erf(0), 15);
        Assert.Equal(0.8427007929, AbramowitzStegun.Erf(1), 6);
        Assert.Equal(-AbramowitzStegun.Erf(0.7), AbramowitzStegun.Erf(-0.7));
    }

    [Fact]
    public void WhenScoresSlideThroughTheHistoryThenThePValueEqualsTheKernelTailOverTheCurrentBuffer()
    {
        // The running sum of squared differences must match a from-scratch population variance at every step, up to the
        // rounding a running sum cannot avoid. The estimator keeps ML.NET's sliding sum: every squared difference it ever
        // added or removed leaves a rounding error of up to ε times the magnitudes processed, so after large values a
        // window of tiny ones (the generator makes both, e.g. 69.5 then 1.9e-41 and 5e-5) has a bandwidth that is only
        // that accurate (seed 4T7il4SO5Le4: p 0.0955197 for 0.0955158, 4e-6 apart). The p-value may differ from the
        // from-scratch one by what that bandwidth error can move it (|dp/dh| <= 0.25 / h), plus 1e-6; on ordinary data
        // the bandwidth error is ~1e-13 relative, so this is the 1e-6 it always was.
        Gen.Double[-100, 100].Array[30, 60].Sample(values =>
        {
            const int w = 7;
            var kde = new KernelPValueEstimator(w);
            var buffer = new List<float>();
            double processed = 0;
            var steps = 0;
            foreach (var v in values)
            {
                var s = (float)v;
                var p = kde.Update(v);
                if (buffer.Count >= 1)
                {
                    steps++;
                    processed += buffer.Sum(b => (double)(s - b) * (s - b));
                    if (buffer.Count == w)
                    {
                        processed += buffer.Skip(1).Sum(b => (double)(buffer[0] - b) * (buffer[0] - b)) + ((double)(buffer[0] - s) * (buffer[0] - s));
                    }
                }

                if (buffer.Count >= 2)
                {
                    var n = buffer.Count;
                    var mean = buffer.Average(b => (double)b);
                    var sumSquares = buffer.Sum(b => (b - mean) * (b - mean));
                    var sigma = Math.Sqrt(sumSquares / n);
                    var h = Math.Max(Math.Sqrt(2) * sigma, 1e-6);
                    var expected = 0.5 - (buffer.Sum(b => AbramowitzStegun.Erf((s - b) / h)) / (2.0 * n));

                    // S = n·Σ(x − mean)²; its error: the running sum's roundings, and the float rounding of each difference.
                    var exactS = n * sumSquares;
                    var errorS = ((w + 2) * steps * Math.Pow(2, -52) * processed) + (Math.Pow(2, -22) * exactS);
                    var low = Math.Max(Math.Sqrt(2) * Math.Sqrt(Math.Max(exactS - errorS, 0)) / n, 1e-6);
                    var high = Math.Max(Math.Sqrt(2) * Math.Sqrt(exactS + errorS) / n, 1e-6);
                    var tolerance = 1e-6 + (0.25 * (high - low) / low);
                    Assert.InRange(p, expected - tolerance, expected + tolerance);
                }

                buffer.Add(s);
                if (buffer.Count > w)
                {
                    buffer.RemoveAt(0);
                }
            }
        }, iter: PropertyIterations.Scaled(200));
    }

    [Theory]
    [InlineData(AnomalySide.Positive, 0.2, 0.2)]
    [InlineData(AnomalySide.Negative, 0.2, 0.8)]
    [InlineData(AnomalySide.TwoSided, 0.8, 0.2)]
    [InlineData(AnomalySide.TwoSided, 0.0, 1e-8)]
    public void WhenASideIsAppliedThenThePValueIsFoldedAndClamped(AnomalySide side, double p, double expected) =>
        Assert.Equal(expected, KernelPValueEstimator.ApplySide(p, side), 12);
}
