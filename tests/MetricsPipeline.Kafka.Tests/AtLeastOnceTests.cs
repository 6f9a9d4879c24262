using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class AtLeastOnceTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenRecordsAreNotAcknowledgedThenANewConsumerInTheGroupGetsThemAndOnlyThem()
    {
        var topic = KafkaFixture.UniqueName("alo");
        var group = KafkaFixture.UniqueName("group");
        await kafka.CreateTopicAsync(topic, 1);
        await using (var producer = new KafkaMessageProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic)))
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(topic, "k", Encoding.UTF8.GetBytes($"m{i}"));
            }

            await producer.FlushAsync(TestContext.Current.CancellationToken);
        }

        await using (var first = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, group)))
        {
            first.Start();
            var all = await KafkaTestSupport.ReadUntilAsync(first, r => r.Count >= 100, acknowledge: false);
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), all.Select(r => r.Offset));

            // Only the first 40 were processed.
            first.Acknowledge(topic, 0, 40);
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        await using (var second = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, group)))
        {
            second.Start();
            var redelivered = await KafkaTestSupport.ReadUntilAsync(second, r => r.Count > 0 && r[^1].Offset >= 99);
            Assert.Equal(Enumerable.Range(40, 60).Select(i => (long)i), redelivered.Select(r => r.Offset));
            Assert.Equal("m40", Encoding.UTF8.GetString(redelivered[0].Value.Span));
            Assert.Equal(0, second.OffsetGaps);
            await second.StopAsync(TestContext.Current.CancellationToken);
        }

        // Everything is acknowledged now: a third member starts after the end, at the next new record.
        await using (var producer = new KafkaMessageProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic)))
        {
            await producer.ProduceAsync(topic, "k", "m100"u8.ToArray(), TestContext.Current.CancellationToken);
        }

        await using var third = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, group));
        third.Start();
        var rest = await KafkaTestSupport.ReadUntilAsync(third, r => r.Count >= 1);
        var only = Assert.Single(rest);
        Assert.Equal(100, only.Offset);
    }

    [Fact]
    public async Task WhenAcknowledgingAfterStopOrForAnUnassignedPartitionThenNothingThrows()
    {
        var topic = KafkaFixture.UniqueName("ack");
        await kafka.CreateTopicAsync(topic, 1);
        var source = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, KafkaFixture.UniqueName("group")));
        source.Start();
        source.Acknowledge("not-assigned", 7, 10);
        await source.StopAsync(TestContext.Current.CancellationToken);
        source.Acknowledge(topic, 0, 10);
        await source.DisposeAsync();
        await source.DisposeAsync();
        source.Acknowledge(topic, 0, 11);
        Assert.False(await source.Batches.WaitToReadAsync(TestContext.Current.CancellationToken));
    }
}
