using System.Text;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class KcatInteropTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenKcatProducesLinesThenTheSourceReceivesThem()
    {
        KafkaTestSupport.RequireKcat();
        var topic = KafkaFixture.UniqueName("kcat-in");
        await kafka.CreateTopicAsync(topic, 2);
        var input = "cpu,host=a usage=1 1\ncpu,host=b usage=2 2\ndisk,host=a free=3i 3\n";

        var (exitCode, _, error) = await KafkaTestSupport.RunAsync(KafkaTestSupport.Kcat, $"-b {kafka.BootstrapServers} -t {topic} -P -p 1", input);
        Assert.True(exitCode == 0, error);

        await using var source = new KafkaSource(KafkaTestSupport.SourceOptions(kafka, topic, KafkaFixture.UniqueName("group")));
        source.Start();
        var records = await KafkaTestSupport.ReadUntilAsync(source, r => r.Count >= 3);
        Assert.All(records, r => Assert.Equal(1, r.Partition));
        Assert.Equal(
            ["cpu,host=a usage=1 1", "cpu,host=b usage=2 2", "disk,host=a free=3i 3"],
            records.Select(r => Encoding.UTF8.GetString(r.Value.Span)));
    }

    [Fact]
    public async Task WhenTheLineProducerWritesThenKcatConsumesEveryLineFromTheRightPartition()
    {
        KafkaTestSupport.RequireKcat();
        var topic = KafkaFixture.UniqueName("kcat-out");
        await kafka.CreateTopicAsync(topic, 4);
        var sent = new List<(string Key, string Line)>();
        await using (var producer = new KafkaLineProducer(KafkaTestSupport.ProducerOptions(kafka.BootstrapServers, topic)))
        {
            for (var i = 0; i < 500; i++)
            {
                var key = $"net,iface=eth{i % 10}";
                var line = $"{key} rx={i}i {i}";
                sent.Add((key, line));
                producer.Append(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(line + "\n"));
            }

            await producer.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(500, producer.LinesSent);
        }

        // -e exits at the end of every partition; %p prefixes each message with its partition, %s is the payload.
        var (exitCode, output, error) = await KafkaTestSupport.RunAsync(KafkaTestSupport.Kcat, $"-b {kafka.BootstrapServers} -t {topic} -C -o beginning -e -q -f \"%p|%s\"");
        Assert.True(exitCode == 0, error);

        var received = new List<(int Partition, string Line)>();
        var partition = -1;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Each message starts with "partition|" and holds many newline-separated lines.
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            var text = line;
            if (bar > 0 && int.TryParse(line.AsSpan(0, bar), out var p))
            {
                partition = p;
                text = line[(bar + 1)..];
            }

            received.Add((partition, text));
        }

        Assert.Equal(sent.Select(s => s.Line).Order(StringComparer.Ordinal), received.Select(r => r.Line).Order(StringComparer.Ordinal));
        var partitionOf = received.ToDictionary(r => r.Line, r => r.Partition);
        Assert.All(sent, s => Assert.Equal(SeriesPartitioner.Partition(Encoding.UTF8.GetBytes(s.Key), 4), partitionOf[s.Line]));
    }
}
