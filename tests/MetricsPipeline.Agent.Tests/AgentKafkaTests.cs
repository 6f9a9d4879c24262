using MetricsPipeline.Agent;
using MetricsPipeline.Kafka;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Agent.Tests;

[Collection(KafkaCollection.Name)]
public sealed class AgentKafkaTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenTheAgentSendsToKafkaThenEachBatchIsOneMessageOfValidLinesAndTheBufferEmpties()
    {
        Kcat.Require();
        var topic = KafkaFixture.UniqueName("agent");
        await kafka.CreateTopicAsync(topic, 2);
        var directory = Path.Combine(Path.GetTempPath(), "agent-kafka-" + Guid.NewGuid().ToString("N"));
        var producerOptions = new KafkaProducerOptions { BootstrapServers = kafka.BootstrapServers };
        await using var producer = new KafkaMessageProducer(producerOptions);
        try
        {
            await using var agent = new HostAgent(new HostAgentOptions { HostName = "kafka-test", BufferDirectory = directory }, new KafkaBatchSender(producer, topic, "kafka-test"));
            var first = agent.CollectOnce();
            var second = agent.CollectOnce();
            Assert.Equal(2, await agent.DrainAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, agent.Buffer.Count);

            var lines = (await Kcat.ConsumeAllAsync(kafka.BootstrapServers, topic)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(first + second, lines.Length);
            Assert.Contains(lines, l => l.StartsWith("system,host=kafka-test load1=", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("mem,host=kafka-test ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
