using System.Globalization;
using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

/// <summary>
/// The lag of a source that paused its partitions for backpressure: a paused partition is not fetched, so the
/// client's cached high watermark stops at the pause; the lag must still count what arrives while the pipeline is
/// held back (it read 0 then before).
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class ConsumerLagTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenTheSourceIsPausedThenTheLagCountsTheRecordsProducedDuringThePause()
    {
        var topic = KafkaFixture.UniqueName("lag-paused");
        await kafka.CreateTopicAsync(topic, 3);
        await using var producer = new KafkaMessageProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic));
        await ProduceAsync(producer, topic, 0, 30);

        var options = KafkaTestSupport.SourceOptions(kafka, topic, KafkaFixture.UniqueName("group"));
        options.ChannelCapacity = 1;
        options.MaxBatchMessages = 2;
        await using var source = new KafkaSource(options);
        source.Start();
        await KafkaTestSupport.WaitForAsync(() => source.BackpressurePauses >= 1, "the source to pause");

        // Nobody reads the channel: the source stays paused while 300 more records arrive.
        // The broker is asked for each partition's watermark; one answer may miss the 1-second bound on a loaded
        // machine (then the cached value stands in), so the 330 must show within a bounded wait, not in the first read.
        await ProduceAsync(producer, topic, 30, 300);
        IReadOnlyList<KafkaPartitionLag> lag = [];
        await KafkaTestSupport.WaitForAsync(
            () => (lag = source.GetLag()).Sum(l => l.HighWatermark) == 330,
            "the high watermarks of the paused source to count all 330 records");
        Assert.Equal(3, lag.Count);
        Assert.Equal(1, source.BackpressurePauses);

        // A partition not read from yet has no position (its lag is unknown, -1); the others lag by all but what was read.
        var known = lag.Where(l => l.Position >= 0).ToList();
        Assert.NotEmpty(known);
        Assert.All(known, l => Assert.Equal(l.HighWatermark - l.Position, l.Lag));
        Assert.True(known.Sum(l => l.Lag) >= known.Sum(l => l.HighWatermark) - 7, $"lag {known.Sum(l => l.Lag)} while paused with at most 7 records consumed");

        // Reading everything resumes the source; then the lag is 0 again (from the cached watermarks).
        var records = await KafkaTestSupport.ReadUntilAsync(source, r => r.Count >= 330);
        Assert.Equal(330, records.Count);
        await KafkaTestSupport.WaitForAsync(() => source.GetLag().Sum(l => l.Lag) == 0, "the lag to reach 0");
    }

    private static async Task ProduceAsync(KafkaMessageProducer producer, string topic, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(topic, $"k{i % 7}", Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)));
        }

        await producer.FlushAsync(TestContext.Current.CancellationToken);
    }
}
