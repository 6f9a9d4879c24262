using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Testing;
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
        }, iter: PropertyIterations.Scaled(200));
    }

    [Fact]
    public void WhenBatchesAndSingleValuesAreInterleavedThenTheSketchEqualsAddingEachValue()
    {
        // The sum is kept in two halves by the parity of the running count; batches that start at an odd count or have
        // an odd length must put every value in the same half as Add(double) does, or the sums differ in their last bits.
        Gen.Select(SketchData.Values(0, 1000), Gen.Int[1, 7].Array[1, 40]).Sample((values, pieces) =>
        {
            var mixed = new DDSketch();
            int at = 0;
            for (int p = 0; at < values.Length; p++)
            {
                int length = Math.Min(pieces[p % pieces.Length], values.Length - at);
                if (p % 2 == 0)
                {
                    mixed.Add(values.AsSpan(at, length));
                }
                else
                {
                    foreach (double v in values.AsSpan(at, length))
                    {
                        mixed.Add(v);
                    }
                }

                at += length;
            }

            var single = SketchData.Sketch(values);
            return mixed.HasSameBuckets(single)
                && mixed.Count == single.Count
                && BitConverter.DoubleToInt64Bits(mixed.Sum) == BitConverter.DoubleToInt64Bits(single.Sum)
                && (mixed.Count == 0 || (mixed.Min == single.Min && mixed.Max == single.Max));
        }, iter: PropertyIterations.Scaled(300));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void WhenABatchHasNaNAtAnyPositionThenTheValuesBeforeItAreKeptAndAddThrows(int position)
    {
        double[] values = [3.0, -1.5, 0.25, 7.0, 11.0];
        values[position] = double.NaN;
        var sketch = new DDSketch();
        sketch.Add(2.0);

        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(values.AsSpan()));

        var expected = SketchData.Sketch([2.0, .. values.AsSpan(0, position)]);
        Assert.True(sketch.HasSameBuckets(expected));
        Assert.Equal(expected.Count, sketch.Count);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Sum), BitConverter.DoubleToInt64Bits(sketch.Sum));
        Assert.Equal(expected.Min, sketch.Min);
        Assert.Equal(expected.Max, sketch.Max);

        // The sketch stays usable: the next value goes to the half its count selects.
        sketch.Add(5.0);
        expected.Add(5.0);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Sum), BitConverter.DoubleToInt64Bits(sketch.Sum));
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
