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

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            producer.Append(key, line);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        await producer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1001, producer.LinesSent);
        Assert.Equal(1, producer.MessagesSent);
    }
}
