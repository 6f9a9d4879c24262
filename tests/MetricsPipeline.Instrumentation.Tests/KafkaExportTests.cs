using System.Diagnostics.Metrics;
using MetricsPipeline.Instrumentation;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Instrumentation.Tests;

[Collection(KafkaCollection.Name)]
public sealed class KafkaExportTests(KafkaFixture kafka)
{
    [Fact]
    public async Task WhenAnAppRecordsThenTheLinesReachTheKafkaTopic()
    {
        Kcat.Require();
        var topic = KafkaFixture.UniqueName("instr");
        await kafka.CreateTopicAsync(topic, 2);
        var name = "Test.Kafka." + Guid.NewGuid().ToString("N");
        var options = new MetricsPipelineExporterOptions { BootstrapServers = kafka.BootstrapServers, Topic = topic };
        options.Meters.Add(name);
        using var meter = new Meter(name);
        await using (var exporter = new MetricsPipelineExporter(options))
        {
            exporter.Start();
            var counter = meter.CreateCounter<long>("jobs");
            counter.Add(7, new KeyValuePair<string, object?>("queue", "q1"));
            meter.CreateHistogram<double>("job.seconds").Record(1.5);
        }

        var lines = (await Kcat.ConsumeAllAsync(kafka.BootstrapServers, topic)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"jobs,meter={name},queue=q1 counter=7 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"job.seconds,meter={name} count=1i,sum=1.5,min=1.5,max=1.5 ", StringComparison.Ordinal));
    }
}
