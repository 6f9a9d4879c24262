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
