using System.Buffers.Binary;

namespace MetricsPipeline.Kafka;

/// <summary>
/// Maps a series key to a partition: <c>(murmur2(key) &amp; 0x7fffffff) % partitionCount</c>, the same function as
/// Kafka's Java default partitioner (and librdkafka's <c>murmur2_random</c>), so a message keyed by the series key would
/// land on the same partition. Stable across processes and versions; thread-safe; allocates nothing.
/// </summary>
public static class SeriesPartitioner
{
    /// <summary>Returns the partition in [0, <paramref name="partitionCount"/>) for <paramref name="seriesKey"/>.</summary>
    public static int Partition(ReadOnlySpan<byte> seriesKey, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (Murmur2(seriesKey) & 0x7fffffff) % partitionCount;
    }

    /// <summary>
    /// Returns the partition for a series routed by a tag: <see cref="Partition"/> of the escaped value of
    /// <paramref name="tagKey"/> in <paramref name="seriesKey"/> when the series carries that tag (with a non-empty
    /// value), else <see cref="Partition"/> of <paramref name="seriesKey"/> itself.
    /// </summary>
    /// <param name="seriesKey">The escaped <c>measurement,tag=value,...</c> prefix of a line (a whole line also works:
    /// the tag set ends at the first unescaped space).</param>
    /// <param name="tagKey">The tag key, escaped as in line protocol (plain names need no escaping).</param>
    /// <param name="partitionCount">The topic's partition count.</param>
    public static int PartitionByTag(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> tagKey, int partitionCount)
    {
        var value = TagValue(seriesKey, tagKey);
        return Partition(value.IsEmpty ? seriesKey : value, partitionCount);
    }

    /// <summary>
    /// The escaped value of tag <paramref name="tagKey"/> in the line-protocol series key <paramref name="seriesKey"/>;
    /// empty when the tag is absent. Honours backslash escapes of <c>,</c>, <c>=</c> and space; allocates nothing.
    /// </summary>
    public static ReadOnlySpan<byte> TagValue(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> tagKey)
    {
        // Skip the measurement: it ends at the first unescaped ',' (tags follow) or ' ' (no tags).
        var i = SkipToken(seriesKey, 0, stopAtEquals: false);
        while (i < seriesKey.Length && seriesKey[i] == (byte)',')
        {
            var keyStart = i + 1;
            var keyEnd = SkipToken(seriesKey, keyStart, stopAtEquals: true);
            if (keyEnd >= seriesKey.Length || seriesKey[keyEnd] != (byte)'=')
            {
                return default;
            }

            var valueStart = keyEnd + 1;
            var valueEnd = SkipToken(seriesKey, valueStart, stopAtEquals: false);
            if (seriesKey[keyStart..keyEnd].SequenceEqual(tagKey))
            {
                return seriesKey[valueStart..valueEnd];
            }

            i = valueEnd;
        }

        return default;
    }

    // Returns the index of the first unescaped ',' or ' ' (or '=' when asked) at or after start, or the length.
    private static int SkipToken(ReadOnlySpan<byte> text, int start, bool stopAtEquals)
    {
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == (byte)'\\')
            {
                i += 2;
                continue;
            }

            if (c is (byte)',' or (byte)' ' || (stopAtEquals && c == (byte)'='))
            {
                return i;
            }

            i++;
        }

        return text.Length;
    }

    /// <summary>Kafka's murmur2 hash (seed 0x9747b28c) of <paramref name="data"/>.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28cu ^ (uint)length;
        var i = 0;
        for (; i + 4 <= length; i += 4)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        switch (length - i)
        {
            case 3:
                h ^= (uint)data[i + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[i + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[i];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
