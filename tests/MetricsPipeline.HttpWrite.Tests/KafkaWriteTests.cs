using System.Net;
using System.Text;
using MetricsPipeline.HttpWrite;
using MetricsPipeline.Kafka;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.HttpWrite.Tests;

[Collection(KafkaCollection.Name)]
public sealed class KafkaWriteTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenAClientWritesOverHttpThenTheLinesReachTheMetricsTopicAndBadOnesTheDeadLetterTopic()
    {
        Kcat.Require();
        var topic = KafkaFixture.UniqueName("http-metrics");
        var deadTopic = KafkaFixture.UniqueName("http-dead");
        await kafka.CreateTopicAsync(topic, 3);
        await kafka.CreateTopicAsync(deadTopic, 1);
        var producerOptions = new KafkaProducerOptions { BootstrapServers = kafka.BootstrapServers, Topic = topic, LingerMs = 5 };
        await using var producer = new KafkaLineProducer(producerOptions);
        await using var messages = new KafkaMessageProducer(producerOptions);
        var deadLetters = new KafkaDeadLetterSink(messages, deadTopic);
        await using var server = await HttpWriteServer.StartAsync(new HttpWriteOptions { Listen = "127.0.0.1:0" }, new KafkaLineTarget(producer), deadLetters, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = server.Address };

        var body = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            body.Append(CultureInvariant($"web,host=h{i % 7} latency={i}.5 {1_700_000_000 + i}\n"));
        }

        body.Append("web,host=bad latency=oops 1\n");
        using var response = await client.PostAsync("write?db=telegraf&precision=s", new StringContent(body.ToString()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await producer.FlushAsync(TestContext.Current.CancellationToken);
        await messages.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(300, producer.LinesSent);

        var lines = (await Kcat.ConsumeAllAsync(kafka.BootstrapServers, topic)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(300, lines.Length);
        Assert.Contains("web,host=h0 latency=0.5 1700000000000000000", lines);
        var dead = await Kcat.ConsumeAllAsync(kafka.BootstrapServers, deadTopic);
        Assert.Matches("\"reason\":\"invalid_(field_value|float)\"", dead);
        Assert.Contains("web,host=bad latency=oops 1", dead, StringComparison.Ordinal);
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
