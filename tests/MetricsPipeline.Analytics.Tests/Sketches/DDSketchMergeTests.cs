using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchMergeTests
{
    // Small caps make collapsing common, so merge exactness is also checked on collapsed stores.
    private static readonly Gen<int> Caps = Gen.OneOf(8, 16, 64, 2048);

    [Fact]
    public void WhenTwoSketchesAreMergedThenTheBucketsEqualASketchOfTheUnion()
    {
        Gen.Select(SketchData.Values(0, 800), SketchData.Values(0, 800), Caps).Sample((a, b, cap) =>
        {
            var merged = SketchData.Sketch(a, maxBuckets: cap);
            merged.Merge(SketchData.Sketch(b, maxBuckets: cap));
            var union = SketchData.Sketch(a.Concat(b), maxBuckets: cap);
            return merged.HasSameBuckets(union) && SameSummary(merged, union);
        }, iter: PropertyIterations.Scaled(300));
    }

    [Fact]
    public void WhenMergingThenTheOrderOfOperandsDoesNotMatter()
    {
        Gen.Select(SketchData.Values(0, 500), SketchData.Values(0, 500), Caps).Sample((a, b, cap) =>
        {
            var ab = SketchData.Sketch(a, maxBuckets: cap);
            ab.Merge(SketchData.Sketch(b, maxBuckets: cap));
            var ba = SketchData.Sketch(b, maxBuckets: cap);
            ba.Merge(SketchData.Sketch(a, maxBuckets: cap));
            return ab.HasSameBuckets(ba) && SameSummary(ab, ba);
        }, iter: PropertyIterations.Scaled(300));
    }

    [Fact]
    public void WhenMergingThenTheGroupingDoesNotMatter()
    {
        Gen.Select(SketchData.Values(0, 400), SketchData.Values(0, 400), SketchData.Values(0, 400), Caps).Sample((a, b, c, cap) =>
        {
            var left = SketchData.Sketch(a, maxBuckets: cap);
            left.Merge(SketchData.Sketch(b, maxBuckets: cap));
            left.Merge(SketchData.Sketch(c, maxBuckets: cap));

            var bc = SketchData.Sketch(b, maxBuckets: cap);
            bc.Merge(SketchData.Sketch(c, maxBuckets: cap));
            var right = SketchData.Sketch(a, maxBuckets: cap);
            right.Merge(bc);

            return left.HasSameBuckets(right) && SameSummary(left, right);
        }, iter: PropertyIterations.Scaled(300));
    }

    [Fact]
    public void WhenASketchIsMergedWithItselfThenEveryCountDoubles()
    {
        double[] values = [1, 2, 3, -4, 0, 1e6];
        var sketch = SketchData.Sketch(values);

        sketch.Merge(sketch);

        Assert.True(sketch.HasSameBuckets(SketchData.Sketch(values.Concat(values))));
        Assert.Equal(12, sketch.Count);
    }

    [Fact]
    public void WhenTheAccuraciesDifferThenMergeThrowsAClearError()
    {
        var onePercent = SketchData.Sketch([1.0], alpha: 0.01);
        var twoPercent = SketchData.Sketch([1.0], alpha: 0.02);

        var error = Assert.Throws<ArgumentException>(() => onePercent.Merge(twoPercent));

        Assert.Contains("different relative accuracy", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, onePercent.Count);
    }

    [Fact]
    public void WhenTheOtherSketchIsExactThenMergeThrows()
    {
        Assert.Throws<ArgumentException>(() => new DDSketch().Merge(new ExactQuantiles()));
    }

    private static bool SameSummary(DDSketch a, DDSketch b) =>
        a.Count == b.Count
        && (a.Count == 0 || (a.Min == b.Min && a.Max == b.Max))
        && Math.Abs(a.Sum - b.Sum) <= 1e-9 * Math.Max(1, Math.Abs(a.Sum));
}
