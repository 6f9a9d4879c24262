using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class SmokeTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenATopicIsCreatedThroughTheAdminApiThenTheProducerSeesItsPartitions()
    {
        var topic = KafkaFixture.UniqueName("smoke");
        await kafka.CreateTopicAsync(topic, 5);
        await using var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = kafka.BootstrapServers, Topic = topic });
        Assert.Equal(5, producer.PartitionCount);
        producer.Append("cpu,host=a"u8, "cpu,host=a v=1 1\n"u8);
        await producer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, producer.LinesSent);
        Assert.Equal(0, producer.DeliveryErrors);
    }
}
