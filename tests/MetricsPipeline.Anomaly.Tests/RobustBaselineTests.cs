using CsCheck;
using MetricsPipeline.Anomaly.Streaming;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class RobustBaselineTests
{
    [Fact]
    public void WhenTheHistoryHoldsKnownValuesThenExpectedIsTheMedianAndTheBoundsUseTheScaledMad()
    {
        var baseline = new RobustBaseline(capacity: 5, k: 2, minimum: 3);
        Assert.True(double.IsNaN(baseline.Observe(1).Expected));
        baseline.Observe(2);
        baseline.Observe(3);
        baseline.Observe(4);
        baseline.Observe(100);

        // History {1, 2, 3, 4, 100}: median 3, deviations {2, 1, 0, 1, 97} → MAD 1.
        var (expected, lower, upper) = baseline.Observe(5);
        Assert.Equal(3, expected);
        Assert.Equal(3 - (2 * 1.4826), lower, 12);
        Assert.Equal(3 + (2 * 1.4826), upper, 12);

        // 1 was evicted: {2, 3, 4, 100, 5} → median 4, deviations {2, 1, 0, 96, 1} → MAD 1.
        Assert.Equal(4, baseline.Observe(6).Expected);
    }

    [Fact]
    public void WhenAValueIsNaNThenItIsNotAddedToTheHistory()
    {
        var baseline = new RobustBaseline(capacity: 4, k: 3, minimum: 1);
        baseline.Observe(10);
        baseline.Observe(double.NaN);
        Assert.Equal(1, baseline.Count);
        Assert.Equal(10, baseline.Observe(20).Expected);
    }

    [Fact]
    public void WhenTheMadIsReadByTheOutwardMergeThenItEqualsTheMedianOfTheSortedDeviations()
    {
        Gen.Int[-50, 50].Select(i => i / 4.0).Array[1, 40].Sample(values =>
        {
            var sorted = values.Order().ToArray();
            var n = sorted.Length;
            var median = (n & 1) == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
            var deviations = sorted.Select(v => Math.Abs(v - median)).Order().ToArray();
            var expected = (n & 1) == 1 ? deviations[n / 2] : 0.5 * (deviations[(n / 2) - 1] + deviations[n / 2]);
            Assert.Equal(expected, RobustBaseline.MedianAbsoluteDeviation(sorted, median));
        }, iter: PropertyIterations.Scaled(100));
    }
}
