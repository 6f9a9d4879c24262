using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

public sealed class OffsetGapTests
{
    // The mock's retention (about 5 MB per partition) is what loses data here, so this test always uses its own
    // embedded broker, whatever server the fixture picked.
    [Fact]
    public async Task WhenAPartitionIsPushedPastTheMockRetentionBeforeConsumingThenTheGapIsCounted()
    {
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions());
        const string topic = "gap";
        const string group = "gap-group";
        broker.CreateTopic(topic, 1);
        var producerOptions = KafkaTestSupport.ProducerOptions(broker.BootstrapServers, topic);

        // Uncompressed, so 8 MB of lines really are 8 MB in the partition.
        producerOptions.CompressionType = "none";
        await using var producer = new KafkaLineProducer(producerOptions);
        for (var i = 0; i < 10; i++)
        {
            producer.Append("early"u8, Encoding.UTF8.GetBytes($"early v={i}\n"));
        }

        await producer.FlushAsync(TestContext.Current.CancellationToken);

        var sourceOptions = new KafkaSourceOptions { BootstrapServers = broker.BootstrapServers, Topic = topic, GroupId = group };
        KafkaFixture.ApplyEmbeddedConsumerSettings(sourceOptions.Settings);
        long committed;
        await using (var first = new KafkaSource(sourceOptions))
        {
            first.Start();
            var early = await KafkaTestSupport.ReadUntilAsync(first, r => r.SelectMany(KafkaTestSupport.Lines).Count() >= 10);
            Assert.Equal(0, first.OffsetGaps);
            committed = early.Max(r => r.Offset) + 1;
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        var padding = new string('x', 80);
        for (var i = 0; i < 90_000; i++)
        {
            producer.Append("late"u8, Encoding.UTF8.GetBytes($"late,pad={padding} v={i}i\n"));
        }

        await producer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(producer.BytesSent > 8_000_000, $"{producer.BytesSent} bytes sent");
        var lastOffset = producer.MessagesSent - 1;

        await using var second = new KafkaSource(sourceOptions);
        second.Start();
        var late = await KafkaTestSupport.ReadUntilAsync(second, r => r.Count > 0 && r[^1].Offset >= lastOffset);
        var lines = late.SelectMany(KafkaTestSupport.Lines).ToList();

        Assert.Equal(1, second.OffsetGaps);
        Assert.True(second.RecordsSkipped > 0);
        Assert.Equal(late[0].Offset - committed, second.RecordsSkipped);
        Assert.InRange(lines.Count, 1, 89_999);
        Assert.Equal(late.Count, late.Select(r => r.Offset).Distinct().Count());
    }
}
