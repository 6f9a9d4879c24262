using System.Text;
using CsCheck;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

public sealed class SeriesPartitionerTests
{
    // Reference values of Kafka's Java Utils.murmur2 (from Kafka's own unit tests).
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void WhenHashingKnownKeysThenTheResultMatchesKafkasMurmur2(string key, int expected)
    {
        Assert.Equal(expected, SeriesPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void WhenAnyKeyIsPartitionedThenThePartitionIsInRangeAndStable()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.Int[1, 512]).Sample((key, count) =>
        {
            var partition = SeriesPartitioner.Partition(key, count);
            return partition >= 0 && partition < count && partition == SeriesPartitioner.Partition(key.ToArray(), count);
        });
    }

    [Fact]
    public void WhenManySeriesArePartitionedThenEveryPartitionGetsSome()
    {
        var counts = new int[12];
        for (var i = 0; i < 1200; i++)
        {
            counts[SeriesPartitioner.Partition(Encoding.UTF8.GetBytes($"cpu,host=h{i}"), 12)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 50, 150));
    }
}
