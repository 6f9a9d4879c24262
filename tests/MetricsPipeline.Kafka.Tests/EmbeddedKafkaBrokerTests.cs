using Xunit;

namespace MetricsPipeline.Kafka.Tests;

public sealed class EmbeddedKafkaBrokerTests
{
    [Fact]
    public async Task WhenTheBrokerStartsThenKcatSeesItsTopicsWithTheDefaultPartitionCount()
    {
        KafkaTestSupport.RequireKcat();
        var options = new EmbeddedKafkaBrokerOptions { Brokers = 2 };
        options.Topics.Add("metrics");
        using var broker = EmbeddedKafkaBroker.Start(options);
        broker.CreateTopic("alerts", 3);

        Assert.Equal(2, broker.BootstrapServers.Split(',').Length);
        Assert.All(broker.BootstrapServers.Split(','), address => Assert.StartsWith("127.0.0.1:", address, StringComparison.Ordinal));

        var (exitCode, output, error) = await KafkaTestSupport.RunAsync(KafkaTestSupport.Kcat, $"-b {broker.BootstrapServers} -L");
        Assert.True(exitCode == 0, error);
        Assert.Contains("2 brokers", output, StringComparison.Ordinal);
        Assert.Contains("topic \"metrics\" with 12 partitions", output, StringComparison.Ordinal);
        Assert.Contains("topic \"alerts\" with 3 partitions", output, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenDisposedTwiceThenNothingThrowsAndTopicsCanNoLongerBeCreated()
    {
        var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions());
        broker.Dispose();
        broker.Dispose();
        Assert.Throws<ObjectDisposedException>(() => broker.CreateTopic("late", 1));
    }

    [Fact]
    public void WhenTopicNamesAreNotConfiguredThenThePipelineDefaultsApply()
    {
        Assert.Equal(["metrics", "metrics-deadletter", "scaling-commands", "alerts", "cost-alerts"], new KafkaTopicOptions().All());
    }
}
