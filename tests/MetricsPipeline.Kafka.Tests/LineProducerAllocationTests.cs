using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class LineProducerAllocationTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenLinesFitTheCurrentBatchThenAppendAllocatesNothing()
    {
        var topic = KafkaFixture.UniqueName("alloc");
        await kafka.CreateTopicAsync(topic, 4);
        var options = KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic);
        options.MaxMessageBytes = 1 << 20;
        options.LingerMs = 600_000;
        await using var producer = new KafkaLineProducer(options);
        var key = "cpu,host=a"u8.ToArray();
        var line = "cpu,host=a usage=1 1\n"u8.ToArray();
        producer.Append(key, line);

        // Three measured rounds of 1,000 lines; the quietest one counts. A per-line allocation would show in every round
        // (at least 24 bytes × 1,000), while the runtime may now and then allocate a few kilobytes on the test's thread
        // for its own reasons on a loaded machine (the same noise the analytics hot-path tests met in CI).
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                producer.Append(key, line);
            }

            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(rounds.Min() == 0, $"bytes allocated per round of 1,000 appends: {string.Join(", ", rounds)}");

        await producer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3001, producer.LinesSent);
        Assert.Equal(1, producer.MessagesSent);
    }
}
