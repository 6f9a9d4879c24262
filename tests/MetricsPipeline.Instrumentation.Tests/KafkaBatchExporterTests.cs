using System.Text;
using MetricsPipeline.Instrumentation;
using MetricsPipeline.Kafka;
using Xunit;

namespace MetricsPipeline.Instrumentation.Tests;

/// <summary>
/// What <see cref="KafkaMetricsBatchExporter"/> reports when its flush is cut short: the shutdown grace cancels the
/// flush while the broker has not acknowledged the batch, and the batch must not be counted as exported then.
/// </summary>
public sealed class KafkaBatchExporterTests
{
    [Fact]
    public async Task WhenTheFlushIsCancelledBeforeTheBrokerAcknowledgesThenTheBatchIsNotReportedAsExported()
    {
        // Its own embedded broker: the test takes it down, which a shared or external broker must not be.
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions());
        broker.CreateTopic("instr-grace", 2);
        var exporter = new KafkaMetricsBatchExporter(new MetricsPipelineExporterOptions { BootstrapServers = broker.BootstrapServers, Topic = "instr-grace" });
        try
        {
            var ct = TestContext.Current.CancellationToken;
            Assert.True(await exporter.ExportAsync(Batch("jobs,queue=q1 counter=1i 1700000000000000000\n"), ct), "a reachable broker acknowledges the first batch");

            broker.SetBrokerDown(1);
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(ct);
            grace.CancelAfter(TimeSpan.FromMilliseconds(500));
            var export = exporter.ExportAsync(Batch("jobs,queue=q1 counter=2i 1700000001000000000\n"), grace.Token);

            // Bounded: the cancelled flush must end promptly, well before librdkafka's own 10 s message timeout.
            var error = await Record.ExceptionAsync(() => export.WaitAsync(TimeSpan.FromSeconds(8), ct));
            Assert.IsAssignableFrom<OperationCanceledException>(error);
        }
        finally
        {
            broker.SetBrokerUp(1);
            await exporter.DisposeAsync();
        }
    }

    private static ReadOnlyMemory<byte> Batch(string lines) => Encoding.UTF8.GetBytes(lines);
}
