using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchBatchTests
{
    [Fact]
    public void WhenABatchIsAddedThenTheSketchEqualsAddingEachValue()
    {
        SketchData.Values(0, 1000).Sample(values =>
        {
            var batch = new DDSketch();
            batch.Add(values.AsSpan());
            var single = SketchData.Sketch(values);
            return batch.HasSameBuckets(single)
                && batch.Count == single.Count
                && BitConverter.DoubleToInt64Bits(batch.Sum) == BitConverter.DoubleToInt64Bits(single.Sum)
                && (batch.Count == 0 || (batch.Min == single.Min && batch.Max == single.Max));
        }, iter: 200);
    }

    [Fact]
    public void WhenABatchContainsNaNThenTheValuesBeforeItAreKeptAndAddThrows()
    {
        var sketch = new DDSketch();
        double[] values = [1.0, -2.0, 0.0, double.NaN, 5.0];

        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(values.AsSpan()));

        Assert.True(sketch.HasSameBuckets(SketchData.Sketch([1.0, -2.0, 0.0])));
        Assert.Equal(3, sketch.Count);
        Assert.Equal(-1.0, sketch.Sum);
        Assert.Equal(-2.0, sketch.Min);
        Assert.Equal(1.0, sketch.Max);
    }
}
