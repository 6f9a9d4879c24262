using System.Net;
using System.Net.Sockets;
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

    // While a broker is down its port is held bound (see EmbeddedKafkaBroker.GuardClosedPorts) but must still refuse
    // connections as a stopped broker does, and the broker must come back on the same port.
    [Fact]
    public async Task WhenABrokerIsDownThenItsPortRefusesConnectionsAndItComesBackOnTheSamePort()
    {
        var ct = TestContext.Current.CancellationToken;
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { Brokers = 2 });
        var ports = broker.BootstrapServers.Split(',').Select(a => int.Parse(a[(a.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        broker.SetBrokerDown(2);
        var refused = 0;
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                refused++;
            }
        }

        Assert.Equal(1, refused);
        broker.SetBrokerUp(2);
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            Assert.True(client.Connected);
        }
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
