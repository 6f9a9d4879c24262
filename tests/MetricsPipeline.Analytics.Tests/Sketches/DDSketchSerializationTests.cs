using System.Buffers;
using CsCheck;
using MetricsPipeline.Analytics.Sketches;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Sketches;

public sealed class DDSketchSerializationTests
{
    [Fact]
    public void WhenASketchIsWrittenAndReadThenItIsIdentical()
    {
        Gen.Select(SketchData.Values(0, 1500), Gen.OneOf(8, 64, 2048), Gen.OneOf(0.01, 0.001, 0.3)).Sample((values, cap, alpha) =>
        {
            var original = SketchData.Sketch(values, alpha, cap);
            byte[] bytes = Encode(original);
            var restored = DDSketch.ReadFrom(bytes);
            return restored.HasSameBuckets(original)
                && restored.Count == original.Count
                && BitConverter.DoubleToInt64Bits(restored.Sum) == BitConverter.DoubleToInt64Bits(original.Sum)
                && (original.Count == 0 || (restored.Min == original.Min && restored.Max == original.Max))
                && restored.RelativeAccuracy == original.RelativeAccuracy
                && restored.MaxBuckets == original.MaxBuckets
                && Encode(restored).AsSpan().SequenceEqual(bytes);
        }, iter: PropertyIterations.Scaled(300));
    }

    [Fact]
    public void WhenBytesAreRandomThenReadFromThrowsOnlyInvalidDataException()
    {
        Gen.Byte.Array[0, 300].Sample(bytes => ReadsOrThrowsInvalidData(bytes), iter: PropertyIterations.Scaled(3000));
    }

    [Fact]
    public void WhenAValidEncodingIsCorruptedThenReadFromThrowsOnlyInvalidDataException()
    {
        Gen.Select(SketchData.Values(0, 300), Gen.Int, Gen.Byte, Gen.Bool).Sample((values, position, replacement, truncate) =>
        {
            byte[] bytes = Encode(SketchData.Sketch(values, maxBuckets: 64));
            int at = (int)((uint)position % (uint)bytes.Length);
            byte[] corrupted = truncate ? bytes[..at] : bytes.ToArray();
            if (!truncate)
            {
                corrupted[at] = replacement;
            }

            return ReadsOrThrowsInvalidData(corrupted);
        }, iter: PropertyIterations.Scaled(3000));
    }

    [Fact]
    public void WhenTheDataIsVersionOneThenItIsRefusedBecauseItsEdgesDiffer()
    {
        // Version 1 had the same layout with exact (not grid-aligned) edges: this is what such a checkpoint looked like.
        byte[] bytes = Encode(SketchData.Sketch([1.0, 2.0, 3.5]));
        Assert.Equal(2, bytes[0]);
        bytes[0] = 1;

        var error = Assert.Throws<InvalidDataException>(() => DDSketch.ReadFrom(bytes));

        Assert.Contains("version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("bucket edges differ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheVersionIsUnknownThenTheErrorSaysSo()
    {
        byte[] bytes = Encode(SketchData.Sketch([1.0, 2.0]));
        bytes[0] = 9;

        var error = Assert.Throws<InvalidDataException>(() => DDSketch.ReadFrom(bytes));

        Assert.Contains("version 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheInputIsTruncatedThenTheErrorSaysSo()
    {
        byte[] bytes = Encode(SketchData.Sketch([1.0, 2.0, 3.0]));

        var error = Assert.Throws<InvalidDataException>(() => DDSketch.ReadFrom(bytes.AsSpan(0, bytes.Length - 1)));

        Assert.Contains("Truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTenThousandLatenciesAreEncodedThenTheyTakeUnderTwoKilobytes()
    {
        var random = new Random(7);
        var sketch = new DDSketch();
        for (int i = 0; i < 10_000; i++)
        {
            sketch.Add(20 * Math.Exp(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())));
        }

        Assert.InRange(Encode(sketch).Length, 1, 2048);
    }

    private static bool ReadsOrThrowsInvalidData(byte[] bytes)
    {
        try
        {
            var sketch = DDSketch.ReadFrom(bytes);
            _ = sketch.GetQuantile(0.5);
            return true;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    private static byte[] Encode(DDSketch sketch)
    {
        var writer = new ArrayBufferWriter<byte>();
        sketch.WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }
}
