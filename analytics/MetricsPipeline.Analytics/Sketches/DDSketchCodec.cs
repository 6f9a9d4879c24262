using System.Buffers;
using System.Buffers.Binary;

namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// The compact binary form of a <see cref="DDSketch"/>, version 2:
/// <c>version:u8, α:f64le, maxBuckets:varint, zeroCount:varint, sum:f64le, min:f64le, max:f64le,
/// positive store, negative store</c>, where a store is <c>length:varint</c> then, if length &gt; 0,
/// <c>firstIndex:zigzag-varint</c> and <c>length</c> counts as varints (the non-empty index range only).
/// </summary>
/// <remarks>
/// Version 2 has version 1's layout, but its bucket indices refer to the grid-aligned edges of
/// <see cref="LogarithmicIndexMapping"/>; version 1 indices refer to the exact edges 2^(j/M) of earlier builds. The
/// edges differ by up to 2^−(k+1), so a version 1 bucket cannot be placed into a version 2 bucket without breaking the
/// α guarantee, and version 1 is refused with a message saying so.
/// </remarks>
internal static class DDSketchCodec
{
    /// <summary>The only format version this build writes and reads.</summary>
    public const byte Version = 2;

    /// <summary>The format of builds before the grid-aligned bucket edges; refused (see the remarks).</summary>
    public const byte ExactEdgesVersion = 1;

    public static void Write(DDSketch sketch, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var (zeroCount, sum, min, max) = sketch.GetSummary();
        var header = writer.GetSpan(1 + 8 + 10 + 10 + 24);
        int n = 0;
        header[n++] = Version;
        BinaryPrimitives.WriteDoubleLittleEndian(header[n..], sketch.RelativeAccuracy);
        n += 8;
        n += Varint.Write(header[n..], (ulong)sketch.MaxBuckets);
        n += Varint.Write(header[n..], (ulong)zeroCount);
        BinaryPrimitives.WriteDoubleLittleEndian(header[n..], sum);
        BinaryPrimitives.WriteDoubleLittleEndian(header[(n + 8)..], min);
        BinaryPrimitives.WriteDoubleLittleEndian(header[(n + 16)..], max);
        n += 24;
        writer.Advance(n);
        WriteStore(in sketch.PositiveStore, writer);
        WriteStore(in sketch.NegativeStore, writer);
    }

    public static DDSketch Read(ReadOnlySpan<byte> data)
    {
        var reader = new SketchReader(data);
        byte version = reader.ReadByte();
        if (version == ExactEdgesVersion)
        {
            throw new InvalidDataException(
                $"DDSketch format version {ExactEdgesVersion} was written by an earlier build whose bucket edges differ from this build's "
                + $"(version {Version}); its buckets cannot be re-bucketed within the relative accuracy, so it is not read. Discard that state.");
        }

        if (version != Version)
        {
            throw new InvalidDataException($"Unknown DDSketch format version {version}; this build reads version {Version}.");
        }

        double alpha = reader.ReadDouble();
        if (!(alpha >= DDSketchOptions.MinRelativeAccuracy && alpha < 1))
        {
            throw new InvalidDataException($"Invalid DDSketch relative accuracy {alpha}.");
        }

        ulong maxBuckets = reader.ReadVarint();
        if (maxBuckets < DDSketchOptions.MinMaxBuckets || maxBuckets > DDSketchOptions.MaxMaxBuckets)
        {
            throw new InvalidDataException($"Invalid DDSketch bucket cap {maxBuckets}.");
        }

        ulong zeroCount = reader.ReadVarint();
        if (zeroCount > long.MaxValue)
        {
            throw new InvalidDataException("Invalid DDSketch zero count.");
        }

        double sum = reader.ReadDouble();
        double min = reader.ReadDouble();
        double max = reader.ReadDouble();

        var sketch = new DDSketch(alpha, (int)maxBuckets);
        var mapping = sketch.Mapping;
        int lowestIndex = mapping.MinIndex;
        int highestIndex = mapping.MaxIndex;
        long total = (long)zeroCount;
        total = ReadStore(ref reader, ref sketch.PositiveStore, (int)maxBuckets, lowestIndex, highestIndex, total);
        total = ReadStore(ref reader, ref sketch.NegativeStore, (int)maxBuckets, lowestIndex, highestIndex, total);
        if (!reader.IsAtEnd)
        {
            throw new InvalidDataException("Unexpected bytes after the end of the DDSketch.");
        }

        if (total > 0 && !(min <= max && double.IsFinite(min) && double.IsFinite(max) && !double.IsNaN(sum)))
        {
            throw new InvalidDataException("Inconsistent DDSketch summary: min, max or sum is invalid.");
        }

        sketch.RestoreSummary((long)zeroCount, total == 0 ? 0 : sum, total == 0 ? double.PositiveInfinity : min, total == 0 ? double.NegativeInfinity : max);
        return sketch;
    }

    private static void WriteStore(in DenseStore store, IBufferWriter<byte> writer)
    {
        if (!store.TryGetRange(out int low, out int high))
        {
            var empty = writer.GetSpan(1);
            empty[0] = 0;
            writer.Advance(1);
            return;
        }

        int length = high - low + 1;
        var head = writer.GetSpan(20);
        int n = Varint.Write(head, (ulong)length);
        n += Varint.Write(head[n..], Varint.ZigZag(low));
        writer.Advance(n);

        // Write in chunks so a large store does not need one huge contiguous span.
        const int chunk = 256;
        for (int index = low; index <= high; index += chunk)
        {
            int end = Math.Min(high, index + chunk - 1);
            var span = writer.GetSpan((end - index + 1) * 10);
            int written = 0;
            for (int i = index; i <= end; i++)
            {
                written += Varint.Write(span[written..], (ulong)store.CountAt(i));
            }

            writer.Advance(written);
        }
    }

    private static long ReadStore(ref SketchReader reader, ref DenseStore store, int maxBuckets, int lowestIndex, int highestIndex, long total)
    {
        ulong length = reader.ReadVarint();
        if (length == 0)
        {
            return total;
        }

        if (length > (ulong)maxBuckets || length > (ulong)reader.Remaining)
        {
            throw new InvalidDataException($"Invalid DDSketch store length {length}.");
        }

        long low = Varint.UnZigZag(reader.ReadVarint());
        long high = low + (long)length - 1;
        if (low < lowestIndex || high > highestIndex)
        {
            throw new InvalidDataException($"DDSketch bucket range [{low}, {high}] is outside the mapping's range.");
        }

        for (long index = low; index <= high; index++)
        {
            ulong count = reader.ReadVarint();
            if (count > long.MaxValue || total > long.MaxValue - (long)count)
            {
                throw new InvalidDataException("DDSketch counts overflow.");
            }

            if (count != 0)
            {
                store.Increment((int)index, (long)count);
                total += (long)count;
            }
        }

        return total;
    }
}
