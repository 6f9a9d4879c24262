using System.Text;
using MetricsPipeline.Kafka;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>The source hook checkpoint restores rely on: a partition starts where <see cref="KafkaSource.StartOffsets"/> says, not at the committed offset.</summary>
public sealed class CheckpointSourceTests
{
    [Fact]
    public async Task WhenTheStartOffsetProviderNamesAnOffsetThenConsumptionStartsThereWithoutCountingAGap()
    {
        var ct = TestContext.Current.CancellationToken;
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = 1 });
        broker.CreateTopic("metrics", 1);
        await using (var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = broker.BootstrapServers, Topic = "metrics" }))
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Append("cpu,host=a"u8, Encoding.UTF8.GetBytes($"cpu,host=a usage={i} {1_700_000_000L + i}000000000\n"));
                await producer.FlushAsync(ct);
            }
        }

        var options = new KafkaSourceOptions { BootstrapServers = broker.BootstrapServers, GroupId = "start-offsets", Topic = "metrics" };
        options.Settings["session.timeout.ms"] = "3000";
        options.Settings["heartbeat.interval.ms"] = "500";
        await using var source = new KafkaSource(options);
        IReadOnlyList<KafkaTopicPartition>? asked = null;
        source.StartOffsets = partitions =>
        {
            asked = partitions;
            return partitions.ToDictionary(p => p, _ => 6L);
        };
        source.Start();

        var batch = await source.Batches.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Equal([new KafkaTopicPartition("metrics", 0)], asked);
        Assert.Equal(6, batch.Records[0].Offset);
        Assert.Equal(0, source.OffsetGaps);
    }
}
