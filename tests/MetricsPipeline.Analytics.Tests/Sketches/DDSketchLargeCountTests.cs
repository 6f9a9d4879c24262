using System.Buffers;
using MetricsPipeline.Analytics.Sketches;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchLargeCountTests
{
    [Fact]
    public void WhenABucketPassesTwoToTheThirtyTwoThenItsCountIsKeptExactly()
    {
        var sketch = new DDSketch();
        sketch.Add(5.0, 3_000_000_000);
        sketch.Add(5.0, 3_000_000_000);
        sketch.Add(7.0, 1);

        var direct = new DDSketch();
        direct.Add(5.0, 6_000_000_000);
        direct.Add(7.0);

        Assert.True(sketch.HasSameBuckets(direct));
        Assert.Equal(6_000_000_001, sketch.Count);
        Assert.InRange(sketch.GetQuantile(0.999_999_999), 4.95, 5.05);
        Assert.Equal(7.0, sketch.GetQuantile(1));
    }

    [Fact]
    public void WhenLargeCountsAreMergedCollapsedAndSerializedThenTheyStayExact()
    {
        var large = new DDSketch(0.01, 8);
        large.Add(1.0, long.MaxValue / 4);
        var other = new DDSketch(0.01, 8);
        other.Add(1.0, long.MaxValue / 4);
        other.Add(1e6, 5);

        large.Merge(other);
        var writer = new ArrayBufferWriter<byte>();
        large.WriteTo(writer);
        var restored = DDSketch.ReadFrom(writer.WrittenSpan);

        Assert.True(large.IsCollapsed);
        Assert.Equal((long.MaxValue / 4 * 2) + 5, restored.Count);
        Assert.True(restored.HasSameBuckets(large));

        // The cap keeps only the top 8 buckets, so the 1.0s were folded into the lowest of them, as a union sketch would.
        var union = new DDSketch(0.01, 8);
        union.Add(1e6, 5);
        union.Add(1.0, long.MaxValue / 4 * 2);
        Assert.True(restored.HasSameBuckets(union));
    }
}
