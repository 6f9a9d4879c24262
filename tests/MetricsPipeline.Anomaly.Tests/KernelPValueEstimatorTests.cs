using CsCheck;
using MetricsPipeline.Anomaly.Numerics;
using MetricsPipeline.Anomaly.Sequential;
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
        // The running sum of squared differences must match a from-scratch population variance at every step.
        Gen.Double[-100, 100].Array[30, 60].Sample(values =>
        {
            const int w = 7;
            var kde = new KernelPValueEstimator(w);
            var buffer = new List<float>();
            foreach (var v in values)
            {
                var s = (float)v;
                var p = kde.Update(v);
                if (buffer.Count >= 2)
                {
                    var mean = buffer.Average(b => (double)b);
                    var sigma = Math.Sqrt(buffer.Sum(b => (b - mean) * (b - mean)) / buffer.Count);
                    var h = Math.Max(Math.Sqrt(2) * sigma, 1e-6);
                    var expected = 0.5 - (buffer.Sum(b => AbramowitzStegun.Erf((s - b) / h)) / (2.0 * buffer.Count));
                    Assert.InRange(p, expected - 1e-6, expected + 1e-6);
                }

                buffer.Add(s);
                if (buffer.Count > w)
                {
                    buffer.RemoveAt(0);
                }
            }
        }, iter: 200);
    }

    [Theory]
    [InlineData(AnomalySide.Positive, 0.2, 0.2)]
    [InlineData(AnomalySide.Negative, 0.2, 0.8)]
    [InlineData(AnomalySide.TwoSided, 0.8, 0.2)]
    [InlineData(AnomalySide.TwoSided, 0.0, 1e-8)]
    public void WhenASideIsAppliedThenThePValueIsFoldedAndClamped(AnomalySide side, double p, double expected) =>
        Assert.Equal(expected, KernelPValueEstimator.ApplySide(p, side), 12);
}
