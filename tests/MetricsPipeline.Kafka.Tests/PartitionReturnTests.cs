using System.Globalization;
using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

/// <summary>
/// A member that loses its partitions (the broker unreachable for longer than the session) and gets them back, with
/// no start-offset provider: the records it read but had not acknowledged are still in its in-memory state, so it
/// must continue where it stopped reading; re-reading from the committed offset counted them twice (the over-count
/// after a broker outage).
/// </summary>
public sealed class PartitionReturnTests
{
    // Taking the broker down would disturb every other test of the shared fixture: this test has its own broker.
    [Fact]
    public async Task WhenLostPartitionsComeBackToTheSameMemberThenItContinuesWhereItStoppedReading()
    {
        var ct = TestContext.Current.CancellationToken;
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions());
        const string topic = "return";
        broker.CreateTopic(topic, 2);
        await using var producer = new KafkaMessageProducer(KafkaTestSupport.ProducerOptions(broker.BootstrapServers, topic));
        await ProduceAsync(producer, topic, 0, 20, ct);

        var options = new KafkaSourceOptions { BootstrapServers = broker.BootstrapServers, Topic = topic, GroupId = "return-group" };
        KafkaFixture.ApplyEmbeddedConsumerSettings(options.Settings);
        await using var source = new KafkaSource(options);
        var revoked = 0;
        var assigned = 0;
        source.PartitionsRevoked += _ => Interlocked.Increment(ref revoked);
        source.PartitionsAssigned += p => { if (p.Count > 0) { Interlocked.Increment(ref assigned); } };
        source.Start();

        // Read everything, acknowledge nothing: the committed offsets stay unset.
        var first = await KafkaTestSupport.ReadUntilAsync(source, r => r.Count >= 20, acknowledge: false);
        Assert.Equal(20, first.Count);

        broker.SetBrokerDown(1);
        try
        {
            await KafkaTestSupport.WaitForAsync(() => Volatile.Read(ref revoked) > 0, "the member to lose its partitions");
        }
        finally
        {
            broker.SetBrokerUp(1);
        }

        await KafkaTestSupport.WaitForAsync(() => Volatile.Read(ref assigned) > 1 && source.Assignment.Count == 2, "the partitions to come back");
        await ProduceAsync(producer, topic, 20, 5, ct);
        var after = await KafkaTestSupport.ReadUntilAsync(source, r => r.Count >= 5);

        // Only the new records: none of the 20 read before the loss is delivered again.
        Assert.Equal(Enumerable.Range(20, 5).Select(i => i.ToString(CultureInfo.InvariantCulture)), after.Select(r => Encoding.UTF8.GetString(r.Value.Span)).Order(StringComparer.Ordinal));
        Assert.False(source.Batches.TryRead(out var extra), $"{extra?.Records.Count} more records were delivered");
        Assert.Equal(0, source.OffsetGaps);
    }

    private static async Task ProduceAsync(KafkaMessageProducer producer, string topic, int from, int count, CancellationToken ct)
    {
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(topic, $"k{i % 5}", Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)));
        }

        await producer.FlushAsync(ct);
    }
}
