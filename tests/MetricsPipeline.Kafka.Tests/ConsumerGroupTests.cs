using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class ConsumerGroupTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenTwoConsumersShareAGroupThenTheySplitThePartitionsAndTogetherReceiveEverything()
    {
        const int partitions = 6;
        var topic = KafkaFixture.UniqueName("split");
        var group = KafkaFixture.UniqueName("group");
        await kafka.CreateTopicAsync(topic, partitions);

        await using var a = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, group));
        var revokedFromA = 0;
        a.PartitionsRevoked += p => Interlocked.Add(ref revokedFromA, p.Count);
        a.Start();
        await KafkaTestSupport.WaitForAsync(() => a.Assignment.Count == partitions, "the first member to own every partition");

        await using var b = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, group));
        b.Start();
        await KafkaTestSupport.WaitForAsync(
            () => a.Assignment.Count > 0 && b.Assignment.Count > 0 && a.Assignment.Count + b.Assignment.Count == partitions,
            "the group to rebalance");

        // Cooperative-sticky: the first member gave up only what the second one took.
        Assert.Equal(b.Assignment.Count, revokedFromA);
        var partitionsOfA = a.Assignment.Select(p => p.Partition).ToHashSet();
        var partitionsOfB = b.Assignment.Select(p => p.Partition).ToHashSet();
        Assert.Empty(partitionsOfA.Intersect(partitionsOfB));

        var sent = new List<string>();
        await using (var producer = new KafkaLineProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic)))
        {
            for (var i = 0; i < 3000; i++)
            {
                var key = $"mem,host=h{i % 300}";
                var line = $"{key} used={i}";
                sent.Add(line);
                producer.Append(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(line + "\n"));
            }

            await producer.FlushAsync(TestContext.Current.CancellationToken);
        }

        var receivedA = new List<KafkaRecord>();
        var receivedB = new List<KafkaRecord>();
        var linesSoFar = 0;
        bool Done() => Volatile.Read(ref linesSoFar) >= sent.Count;
        var readA = ReadAllAsync(a, receivedA);
        var readB = ReadAllAsync(b, receivedB);
        await Task.WhenAll(readA, readB);

        Assert.NotEmpty(receivedA);
        Assert.NotEmpty(receivedB);
        Assert.All(receivedA, r => Assert.Contains(r.Partition, partitionsOfA));
        Assert.All(receivedB, r => Assert.Contains(r.Partition, partitionsOfB));
        var all = receivedA.Concat(receivedB).SelectMany(KafkaTestSupport.Lines).ToList();
        Assert.Equal(sent.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));

        async Task ReadAllAsync(KafkaSource source, List<KafkaRecord> into)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            while (!Done())
            {
                Assert.True(stopwatch.Elapsed < KafkaTestSupport.Deadline, $"Timed out with {Volatile.Read(ref linesSoFar)} lines read.");
                if (source.Batches.TryRead(out var batch))
                {
                    into.AddRange(batch.Records);
                    Interlocked.Add(ref linesSoFar, batch.Records.Sum(r => KafkaTestSupport.Lines(r).Count()));
                    source.Acknowledge(batch);
                }
                else
                {
                    // Neither reader may block on its own channel: the other one may be the one to finish the job.
                    await Task.Delay(10, TestContext.Current.CancellationToken);
                }
            }
        }
    }
}
