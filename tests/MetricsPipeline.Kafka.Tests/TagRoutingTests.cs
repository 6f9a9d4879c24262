using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

/// <summary>Routing by a tag (<see cref="KafkaProducerOptions.PartitionByTag"/>): the partitioner and the producer.</summary>
[Collection(KafkaCollection.Name)]
public sealed class TagRoutingTests(KafkaFixture kafka)
{
    [Fact]
    public void WhenSeriesShareTheTagValueThenTheyShareThePartitionOfThatValue()
    {
        var expected = SeriesPartitioner.Partition("api"u8, 12);
        for (var i = 0; i < 50; i++)
        {
            var key = Encoding.UTF8.GetBytes($"http_request,instance=api-{i},route=/r{i % 7},service=api,zone=z{i % 3}");
            Assert.Equal(expected, SeriesPartitioner.PartitionByTag(key, "service"u8, 12));
        }

        // The tag's position does not matter, nor does the rest of the line.
        Assert.Equal(expected, SeriesPartitioner.PartitionByTag("service,service=api value=1 17\n"u8, "service"u8, 12));
        Assert.Equal(expected, SeriesPartitioner.PartitionByTag("service,service=api"u8, "service"u8, 12));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cpu,host=a")]
    [InlineData("cpu,host=a,services=api")]
    [InlineData("cpu,host=a,xservice=api")]
    [InlineData("cpu,host=service=x")]
    [InlineData(@"cpu\,service=api,host=a")]
    [InlineData(@"cpu,host=a\,service=api")]
    [InlineData("cpu,service=")]
    public void WhenTheTagIsMissingThenTheSeriesKeyDecides(string seriesKey)
    {
        var key = Encoding.UTF8.GetBytes(seriesKey);
        Assert.True(SeriesPartitioner.TagValue(key, "service"u8).IsEmpty, seriesKey);
        for (var count = 1; count <= 64; count++)
        {
            Assert.Equal(SeriesPartitioner.Partition(key, count), SeriesPartitioner.PartitionByTag(key, "service"u8, count));
        }
    }

    [Theory]
    [InlineData(@"cpu,service=a\ b,host=x", @"a\ b")]
    [InlineData(@"cpu,service=a\,b", @"a\,b")]
    [InlineData(@"c\ pu,h\=ost=1,service=api", "api")]
    [InlineData("cpu,service=api value=1", "api")]
    public void WhenTheValueIsEscapedThenTheEscapedValueIsTheKey(string seriesKey, string value)
    {
        Assert.Equal(value, Encoding.UTF8.GetString(SeriesPartitioner.TagValue(Encoding.UTF8.GetBytes(seriesKey), "service"u8)));
    }

    [Fact]
    public async Task WhenTheProducerRoutesByServiceThenEveryServiceIsOnOnePartitionAndUntaggedSeriesStillSpread()
    {
        const int partitions = 12;
        var ct = TestContext.Current.CancellationToken;
        var topic = KafkaFixture.UniqueName("tagrouting");
        await kafka.CreateTopicAsync(topic, partitions);
        var options = KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic);
        options.PartitionByTag = "service";
        var sent = 0;
        await using (var producer = new KafkaLineProducer(options))
        {
            Assert.Equal("service", producer.PartitionByTag);
            for (var i = 0; i < 20; i++)
            {
                foreach (var service in new[] { "api", "checkout", "search", "auth" })
                {
                    for (var instance = 0; instance < 6; instance++)
                    {
                        Append(producer, $"http_request,instance={service}-{instance},service={service}", $"count={i}i {1_700_000_000_000_000_000L + i}");
                    }
                }

                for (var host = 0; host < 24; host++)
                {
                    Append(producer, $"cpu,host=h{host}", $"usage={i} {1_700_000_000_000_000_000L + i}");
                }
            }

            await producer.FlushAsync(ct);
            sent = (int)producer.LinesSent;
            Assert.Equal(0, producer.DeliveryErrors);
        }

        Assert.Equal(20 * (24 + 24), sent);
        await using var source = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, KafkaFixture.UniqueName("group")));
        source.Start();
        var received = new List<(int Partition, string Line)>();
        await KafkaTestSupport.ReadUntilAsync(source, records =>
        {
            received.Clear();
            received.AddRange(records.SelectMany(r => KafkaTestSupport.Lines(r).Select(l => (r.Partition, l))));
            return received.Count >= sent;
        });

        Assert.Equal(sent, received.Count);
        foreach (var service in received.Where(r => r.Line.StartsWith("http_request", StringComparison.Ordinal)).GroupBy(r => r.Line.Split("service=")[1].Split(' ')[0]))
        {
            var partition = Assert.Single(service.Select(r => r.Partition).Distinct());
            Assert.Equal(SeriesPartitioner.Partition(Encoding.UTF8.GetBytes(service.Key), partitions), partition);
            Assert.Equal(6, service.Select(r => r.Line.Split(' ')[0]).Distinct().Count());
        }

        var cpu = received.Where(r => r.Line.StartsWith("cpu", StringComparison.Ordinal)).ToList();
        foreach (var series in cpu.GroupBy(r => r.Line.Split(' ')[0]))
        {
            Assert.Equal(SeriesPartitioner.Partition(Encoding.UTF8.GetBytes(series.Key), partitions), Assert.Single(series.Select(r => r.Partition).Distinct()));
        }

        Assert.True(cpu.Select(r => r.Partition).Distinct().Count() > 4, "series without the tag still spread by their key");
    }

    [Fact]
    public async Task WhenLinesAreRoutedByATagThenAppendStillAllocatesNothing()
    {
        var topic = KafkaFixture.UniqueName("tagalloc");
        await kafka.CreateTopicAsync(topic, 4);
        var options = KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic);
        options.MaxMessageBytes = 1 << 20;
        options.LingerMs = 600_000;
        options.PartitionByTag = "service";
        await using var producer = new KafkaLineProducer(options);
        var tagged = "http_request,instance=api-0,service=api"u8.ToArray();
        var taggedLine = "http_request,instance=api-0,service=api count=1i 1\n"u8.ToArray();
        var plain = "cpu,host=a"u8.ToArray();
        var plainLine = "cpu,host=a usage=1 1\n"u8.ToArray();
        producer.Append(tagged, taggedLine);
        producer.Append(plain, plainLine);

        // Three measured rounds of 2,000 lines; the quietest one counts. A per-line allocation would show in every round,
        // while the runtime may now and then allocate a few kilobytes on the test's thread for its own reasons on a
        // loaded machine (the same noise the analytics hot-path tests met in CI).
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                producer.Append(tagged, taggedLine);
                producer.Append(plain, plainLine);
            }

            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(rounds.Min() == 0, $"bytes allocated per round of 2,000 appends: {string.Join(", ", rounds)}");
        await producer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(6002, producer.LinesSent);
    }

    private static void Append(KafkaLineProducer producer, string key, string rest) =>
        producer.Append(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{key} {rest}\n"));
}
