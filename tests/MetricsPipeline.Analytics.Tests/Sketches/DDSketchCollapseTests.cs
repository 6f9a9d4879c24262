using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchCollapseTests
{
    [Fact]
    public void WhenValuesSpanMoreBucketsThanTheCapThenMemoryStaysBoundedAndUpperQuantilesStayAccurate()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 3000], Gen.OneOf(8, 32, 100)).Sample((seed, n, cap) =>
        {
            var random = new Random(seed);
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                // Log-uniform over twelve decades: far more than the cap covers.
                values[i] = Math.Pow(10, (random.NextDouble() * 12) - 6);
            }

            var sketch = SketchData.Sketch(values, maxBuckets: cap);
            if (sketch.BucketArrayBytes > 4L * cap)
            {
                return false;
            }

            // Values above the lowest kept bucket (plus one for its fold) keep the α guarantee.
            var mapping = LogarithmicIndexMapping.For(0.01);
            double keptFrom = mapping.LowerBound(mapping.Index(sketch.Max) - cap + 2);
            double[] sorted = values.Order().ToArray();
            foreach (double q in new[] { 0.5, 0.9, 0.95, 0.99, 0.999, 1 })
            {
                double truth = SketchData.Reference(sorted, q);
                if (truth >= keptFrom && Math.Abs(sketch.GetQuantile(q) - truth) > 0.01 * truth * (1 + 1e-12))
                {
                    return false;
                }
            }

            return true;
        }, iter: PropertyIterations.Scaled(200));
    }

    [Fact]
    public void WhenTheRangeExceedsTheCapThenTheSketchReportsCollapsing()
    {
        var sketch = SketchData.Sketch([1e-9, 1e9], maxBuckets: 16);

        Assert.True(sketch.IsCollapsed);
        Assert.Equal(1e9, sketch.GetQuantile(1));
        Assert.Equal(2, sketch.Count);

        sketch.Clear();
        Assert.False(sketch.IsCollapsed);
    }

    [Fact]
    public void WhenSmallNegativeAndPositiveValuesArriveAfterCollapsingThenTheyFoldIntoTheLowestBucket()
    {
        var sketch = SketchData.Sketch([1e6, 1e-6, 1e-7, 1e6], maxBuckets: 8);

        Assert.Equal(4, sketch.Count);
        Assert.InRange(sketch.GetQuantile(1), 1e6 * 0.99, 1e6 * 1.01);
        Assert.Equal(1e-7, sketch.GetQuantile(0));
    }
}
