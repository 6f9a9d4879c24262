using System.Text;
using System.Text.Json;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class DeadLetterEnvelopeTests(KafkaFixture kafka)
{
    [Fact]
    public void WhenThePayloadIsUtf8ThenTheEnvelopeCarriesItAsText()
    {
        var letter = new DeadLetter("parse", "invalid_field_value", "bad value at 1:17", Encoding.UTF8.GetBytes("cpu,host=ä usage=x 1\n"), 1, 17, "metrics/3@1042");
        using var json = JsonDocument.Parse(KafkaDeadLetterSink.ToJson(letter));
        var root = json.RootElement;
        Assert.Equal("dead-letter/v1", root.GetProperty("schema").GetString());
        Assert.Equal("parse", root.GetProperty("stage").GetString());
        Assert.Equal("invalid_field_value", root.GetProperty("reason").GetString());
        Assert.Equal("bad value at 1:17", root.GetProperty("message").GetString());
        Assert.Equal(1, root.GetProperty("line").GetInt32());
        Assert.Equal(17, root.GetProperty("column").GetInt32());
        Assert.Equal("metrics/3@1042", root.GetProperty("source").GetString());
        Assert.Equal("cpu,host=ä usage=x 1\n", root.GetProperty("payload").GetString());
        Assert.False(root.GetProperty("payloadBase64").GetBoolean());
    }

    [Fact]
    public void WhenThePayloadIsNotUtf8ThenTheEnvelopeCarriesItAsBase64()
    {
        byte[] payload = [0xff, 0xfe, 0x00, 0x41];
        using var json = JsonDocument.Parse(KafkaDeadLetterSink.ToJson(new DeadLetter("influxdb", "http_400", "rejected", payload)));
        var root = json.RootElement;
        Assert.True(root.GetProperty("payloadBase64").GetBoolean());
        Assert.Equal(payload, root.GetProperty("payload").GetBytesFromBase64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("source").ValueKind);
    }

    [Fact]
    public async Task WhenADeadLetterIsWrittenThenItArrivesOnTheTopicKeyedByReason()
    {
        var topic = KafkaFixture.UniqueName("deadletter");
        await kafka.CreateTopicAsync(topic, 3);
        await using var producer = new KafkaMessageProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic));
        var sink = new KafkaDeadLetterSink(producer, topic);
        await sink.WriteAsync(new DeadLetter("parse", "missing_fields", "no fields", "cpu 1\n"u8.ToArray(), 1, 5), TestContext.Current.CancellationToken);
        Assert.Equal(1, producer.MessagesSent);

        await using var source = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, KafkaFixture.UniqueName("g")));
        source.Start();
        var records = await KafkaTestSupport.ReadUntilAsync(source, r => r.Count >= 1);
        var record = Assert.Single(records);
        Assert.Equal("missing_fields", Encoding.UTF8.GetString(record.Key.Span));
        using var json = JsonDocument.Parse(record.Value);
        Assert.Equal("cpu 1\n", json.RootElement.GetProperty("payload").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("column").GetInt32());
    }
}
