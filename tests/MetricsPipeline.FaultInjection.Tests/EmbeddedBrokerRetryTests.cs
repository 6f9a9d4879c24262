using System.Globalization;
using System.Text;
using MetricsPipeline.Kafka;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// What the embedded broker (librdkafka's mock cluster) does with an idempotent producer's retries when it goes down
/// while produce requests it already appended are unacknowledged: it appends them again. A Kafka broker would drop
/// those retries (same producer id, epoch and sequence); the mock does not, so <see cref="BrokerOutageTests"/> accepts
/// such copies, and only such copies, in the topic. Should a later librdkafka deduplicate, the last assertions here fail,
/// and the outage scenario can require the topic to hold exactly what was produced again.
/// </summary>
public class EmbeddedBrokerRetryTests
{
    private const int Lines = 400;

    [Fact]
    public async Task WhenTheBrokerGoesDownWithProducesUnacknowledgedThenTheRetriedBatchesAreAppendedAgainRightAfterThemselvesAndNothingIsLost()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new EmbeddedKafkaBrokerOptions { DefaultPartitions = 12 };
        options.Topics.Add("metrics");
        using var broker = EmbeddedKafkaBroker.Start(options);

        // The mock appends a produce when it arrives and holds only the response back, so with 300 ms of delay every
        // partition that is being written has appended but unacknowledged batches when the broker goes down.
        broker.SetResponseDelay(1, TimeSpan.FromMilliseconds(300));
        var produced = new List<string>();
        long deliveryErrors;
        await using (var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = broker.BootstrapServers, Topic = "metrics" }))
        {
            for (var i = 0; i < Lines; i++)
            {
                if (i == Lines / 3)
                {
                    broker.SetBrokerDown(1);
                }

                if (i == Lines * 2 / 3)
                {
                    broker.SetBrokerUp(1);
                }

                var series = string.Create(CultureInfo.InvariantCulture, $"retry_probe,series={i % 24}");
                var line = string.Create(CultureInfo.InvariantCulture, $"{series} value={i}i {1_000_000_000L * i}\n");
                produced.Add(line);
                producer.Append(Encoding.UTF8.GetBytes(series), Encoding.UTF8.GetBytes(line));
                await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            }

            Assert.True(await producer.FlushAsync(ct), "the producer did not finish delivering");
            deliveryErrors = producer.DeliveryErrors;
        }

        var records = TopicReader.ReadRecords(broker.BootstrapServers, "metrics", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
        var repeats = TopicRepeats.Find(records);
        var inTopic = records.Sum(r => LinesOf(r.Value).Count());
        Numbers.Report("embedded-broker-retry", $"{Lines} lines produced across a broker outage with 300 ms response delay; topic holds {inTopic} lines in {records.Count} records; {repeats.Resent.Count} retried runs appended twice ({repeats.ResentRecords} records)");

        Assert.Equal(0, deliveryErrors);
        Assert.Empty(repeats.Unexplained);

        // Nothing lost, nothing else added: without the resent copies the topic holds exactly the produced lines.
        Assert.Equal(produced.Order(StringComparer.Ordinal), repeats.Distinct.SelectMany(r => LinesOf(r.Value)).Order(StringComparer.Ordinal));

        // The mock's limitation itself (see the class summary).
        Assert.NotEmpty(repeats.Resent);
        Assert.True(inTopic > Lines, $"topic holds {inTopic} lines for {Lines} produced");
    }

    private static IEnumerable<string> LinesOf(string value) =>
        value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n");
}
