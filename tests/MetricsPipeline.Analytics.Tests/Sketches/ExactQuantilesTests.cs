using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class ExactQuantilesTests
{
    [Fact]
    public void WhenQueriedThenTheValueAtTheFloorRankIsReturned()
    {
        var exact = new ExactQuantiles();
        foreach (double v in new[] { 5.0, 1.0, 4.0, 2.0, 3.0 })
        {
            exact.Add(v);
        }

        Assert.Equal(1.0, exact.GetQuantile(0));
        Assert.Equal(3.0, exact.GetQuantile(0.5));
        Assert.Equal(4.0, exact.GetQuantile(0.99));
        Assert.Equal(5.0, exact.GetQuantile(1));
        Assert.Equal(15.0, exact.Sum);
    }

    [Fact]
    public void WhenMergedThenItEqualsTheUnion()
    {
        Gen.Select(SketchData.Values(0, 300), SketchData.Values(0, 300), Gen.Double[0, 1]).Sample((a, b, q) =>
        {
            var left = new ExactQuantiles();
            var right = new ExactQuantiles();
            foreach (double v in a)
            {
                left.Add(v);
            }

            foreach (double v in b)
            {
                right.Add(v);
            }

            left.Merge(right);
            double[] union = a.Concat(b).Order().ToArray();
            return left.Count == union.Length
                && (union.Length == 0 ? double.IsNaN(left.GetQuantile(q)) : left.GetQuantile(q) == SketchData.Reference(union, q));
        }, iter: PropertyIterations.Scaled(200));
    }

    [Fact]
    public void WhenClearedThenItIsEmpty()
    {
        var exact = new ExactQuantiles();
        exact.Add(1.0, 3);
        exact.Clear();

        Assert.Equal(0, exact.Count);
        Assert.True(double.IsNaN(exact.GetQuantile(0.5)));
    }
}
