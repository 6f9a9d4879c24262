using System.Buffers;
using MetricsPipeline.Analytics.Sketches;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchCompactStoreTests
{
    [Fact]
    public void WhenOneBucketPassesTwoToTheSixteenOneValueAtATimeThenItsCountIsKeptExactly()
    {
        var sketch = new DDSketch();
        for (int i = 0; i < 200_000; i++)
        {
            sketch.Add(5.0);
        }

        sketch.Add(9.0);
        var direct = new DDSketch();
        direct.Add(5.0, 200_000);
        direct.Add(9.0, 1);

        Assert.True(sketch.HasSameBuckets(direct));
        Assert.Equal(200_001, sketch.Count);
        Assert.InRange(sketch.GetQuantile(0.99), 4.95, 5.05);

        var writer = new ArrayBufferWriter<byte>();
        sketch.WriteTo(writer);
        Assert.True(DDSketch.ReadFrom(writer.WrittenSpan).HasSameBuckets(direct));
    }

    [Fact]
    public void WhenTenThousandLatencyLikeValuesAreAddedThenTheBucketArraysTakeAtMostOneAndAHalfKilobytes()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            var sketch = new DDSketch();
            for (int i = 0; i < 10_000; i++)
            {
                double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                sketch.Add(20 * Math.Exp(normal));
            }

            // About 400 occupied buckets at 2 bytes each, plus at most a quarter of slack.
            Assert.InRange(sketch.BucketArrayBytes, 600, 1536);
        }
    }

    [Fact]
    public void WhenCountsOverflowAfterTheStoreMovedThenMergeAndQuantilesStayExact()
    {
        var a = new DDSketch();
        var b = new DDSketch();
        a.Add(1.0, 70_000);
        a.Add(1e6, 3);
        b.Add(1e-3, 2);
        b.Add(1.0, 70_000);
        a.Merge(b);

        var union = new DDSketch();
        union.Add(1e-3, 2);
        union.Add(1.0, 140_000);
        union.Add(1e6, 3);
        Assert.True(a.HasSameBuckets(union));
        Assert.Equal(140_005, a.Count);
        Assert.InRange(a.GetQuantile(0.5), 0.99, 1.01);
        Assert.InRange(a.GetQuantile(0.99999), 0.99e6, 1.01e6);
    }
}
