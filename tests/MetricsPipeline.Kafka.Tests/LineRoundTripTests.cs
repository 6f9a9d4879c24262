using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class LineRoundTripTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenManyLinesAreProducedThenTheSourceReceivesEachOnceWithEverySeriesOnItsOwnPartition()
    {
        const int series = 200;
        const int perSeries = 100;
        const int partitions = 12;
        var topic = KafkaFixture.UniqueName("roundtrip");
        await kafka.CreateTopicAsync(topic, partitions);

        var sent = new List<string>(series * perSeries);
        await using (var producer = new KafkaLineProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic)))
        {
            Assert.Equal(partitions, producer.PartitionCount);
            for (var i = 0; i < perSeries; i++)
            {
                for (var s = 0; s < series; s++)
                {
                    var key = $"cpu,host=h{s}";
                    var line = $"{key} usage={i} {1_700_000_000_000_000_000L + i}";
                    sent.Add(line);
                    producer.Append(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(line + "\n"));
                }
            }

            await producer.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(sent.Count, producer.LinesSent);
            Assert.Equal(0, producer.DeliveryErrors);
            Assert.True(producer.MessagesSent >= partitions, $"{producer.MessagesSent} messages");
        }

        await using var source = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, KafkaFixture.UniqueName("group")));
        source.Start();
        var received = new List<(int Partition, string Line)>();
        await KafkaTestSupport.ReadUntilAsync(source, records =>
        {
            received.Clear();
            received.AddRange(records.SelectMany(r => KafkaTestSupport.Lines(r).Select(l => (r.Partition, l))));
            return received.Count >= sent.Count;
        });

        Assert.Equal(sent.Order(StringComparer.Ordinal), received.Select(r => r.Line).Order(StringComparer.Ordinal));
        foreach (var group in received.GroupBy(r => r.Line[..r.Line.IndexOf(' ', StringComparison.Ordinal)]))
        {
            var partition = Assert.Single(group.Select(r => r.Partition).Distinct());
            Assert.Equal(SeriesPartitioner.Partition(Encoding.UTF8.GetBytes(group.Key), partitions), partition);

            // One partition per series also keeps the series in order.
            var values = group.Select(r => int.Parse(r.Line.Split(' ')[1]["usage=".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, perSeries), values);
        }

        Assert.Equal(0, source.OffsetGaps);
        var lag = source.GetLag();
        Assert.Equal(partitions, lag.Count);
        Assert.All(lag, l => Assert.Equal(0, l.Lag));
        Assert.Equal(source.RecordsConsumed, lag.Sum(l => l.HighWatermark));
    }

    [Fact]
    public async Task WhenTheChannelIsFullThenTheSourcePausesAndLaterDeliversEverythingInOrder()
    {
        var topic = KafkaFixture.UniqueName("backpressure");
        await kafka.CreateTopicAsync(topic, 3);
        await using (var producer = new KafkaMessageProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic)))
        {
            for (var i = 0; i < 300; i++)
            {
                producer.Produce(topic, $"k{i % 7}", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            await producer.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(300, producer.MessagesSent);
        }

        var options = KafkaTestSupport.SourceOptions(kafka, topic, KafkaFixture.UniqueName("group"));
        options.ChannelCapacity = 1;
        options.MaxBatchMessages = 2;
        await using var source = new KafkaSource(options);
        source.Start();

        // Wait (for state, not time) until the channel is full and the consume thread paused its partitions.
        await KafkaTestSupport.WaitForAsync(() => source.BackpressurePauses >= 1, "the source to pause");

        // One batch in the channel, one held, at most one extra record per partition: nothing more was fetched.
        Assert.InRange(source.RecordsConsumed, 4, 7);
        Assert.Equal(3, source.Assignment.Count);

        var records = await KafkaTestSupport.ReadUntilAsync(source, r => r.Count >= 300);
        Assert.Equal(300, records.Count);
        Assert.Equal(300, records.Select(r => Encoding.UTF8.GetString(r.Value.Span)).Distinct().Count());
        foreach (var partition in records.GroupBy(r => r.Partition))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r => r.Offset));
        }

        Assert.Equal(0, source.OffsetGaps);
    }
}
