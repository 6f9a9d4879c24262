using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MetricsPipeline.Kafka.Native;
using Xunit;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// Garbage mixed into valid traffic: every message carries valid lines and malformed ones of several kinds. Every
/// valid point must land in its window; every malformed line must be on the dead-letter topic, with a reason,
/// its position and the line itself.
/// </summary>
public class MalformedFloodTests
{
    private static readonly string[] BadLines =
    [
        "fi_flood,host=h1 value=notanumber {0}",
        "fi_flood,host=h1 {0}",
        "fi_flood,host=h1 value=1 notatimestamp",
        // Not here: an unterminated string field, which by the line-protocol rules runs on into the next line and
        // takes that (valid) line into its dead letter.
        ",host=h1 value=1 {0}",
        "fi_flood,host value=1 {0}",
    ];

    [Fact]
    public async Task WhenMalformedLinesFloodValidTrafficThenEveryValidPointArrivesAndEveryBadLineIsDeadLetteredWithItsReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(ct);
        var output = Path.Combine(rig.Directory, "out");

        const int messages = 300;
        const int validPerMessage = 10;
        // Recent event time (the data spans 5 minutes ending 15 minutes ago), on a whole minute.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var start = (now - 1200 - (now % 60)) * 1_000_000_000L;
        var badSent = new List<string>();
        LibrdkafkaLoader.EnsureLoaded();
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = rig.Bootstrap, EnableIdempotence = true, LingerMs = 5 }).Build())
        {
            for (var m = 0; m < messages; m++)
            {
                var text = new StringBuilder();
                for (var i = 0; i < validPerMessage; i++)
                {
                    // One point per 100 ms of event time, in order, on one partition: nothing is late.
                    var ts = start + ((m * validPerMessage) + i) * 100_000_000L;
                    text.Append(CultureInfo.InvariantCulture, $"fi_flood,host=h{i % 3} value={m + i}i {ts}\n");
                    if (i % 2 == 0)
                    {
                        var bad = string.Format(CultureInfo.InvariantCulture, BadLines[(m + i) % BadLines.Length], ts);
                        badSent.Add(bad);
                        text.Append(bad).Append('\n');
                    }
                }

                // One partition, in event-time order: this scenario is about bad input, not about watermarks across
                // unevenly consumed partitions (which drop points as late; see the report).
                producer.Produce(new TopicPartition("metrics", new Partition(0)), new Message<Null, string> { Value = text.ToString() });
            }

            // A point ten minutes later moves the watermark past every window above, so they close while the
            // process runs instead of depending on the shutdown flush.
            var tail = start + (messages * validPerMessage * 100_000_000L) + 600_000_000_000L;
            producer.Produce(new TopicPartition("metrics", new Partition(0)), new Message<Null, string> { Value = $"fi_tail,host=h0 value=1i {tail}\n" });

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        var run = rig.StartRun("run", "fault-flood", output, PipelineRig.FreePort());
        await PipelineRig.WaitForDrainedAsync([run], 1, TimeSpan.FromSeconds(90), ct, () => rig.Logs);
        await PipelineRig.WaitUntilAsync(
            () => Task.FromResult(CountedSoFar(output) >= messages * validPerMessage),
            TimeSpan.FromSeconds(60),
            () => $"late {run.MetricAsync("pipeline_late_points_total", ct).GetAwaiter().GetResult()}, windows closed {run.MetricAsync("pipeline_windows_closed_total", ct).GetAwaiter().GetResult()}, counted in 10 s windows {CountedSoFar(output)}\n{rig.Logs}",
            ct);
        var parseErrors = await run.MetricAsync("pipeline_parse_errors_total", ct);
        await run.StopAsync(ct);

        var counted = WindowOutput.Read(["fi_flood"], output).CountedPoints("10s");
        Assert.Equal(messages * validPerMessage, counted.GetValueOrDefault("fi_flood"));
        Assert.Equal(badSent.Count, parseErrors);

        var letters = TopicReader.ReadAll(rig.Bootstrap, "metrics-deadletter", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60))
            .Select(json => JsonDocument.Parse(json).RootElement)
            .ToList();
        Numbers.Report("malformed-flood", $"{messages * validPerMessage} valid points all counted; {badSent.Count} bad lines, {letters.Count} dead letters, reasons: "
            + string.Join(", ", letters.GroupBy(l => l.GetProperty("reason").GetString()).Select(g => $"{g.Key} {g.Count()}")));
        Assert.Equal(badSent.Count, letters.Count);
        foreach (var letter in letters)
        {
            Assert.Equal("dead-letter/v1", letter.GetProperty("schema").GetString());
            Assert.Equal("parse", letter.GetProperty("stage").GetString());
            Assert.False(string.IsNullOrWhiteSpace(letter.GetProperty("reason").GetString()));
            Assert.True(letter.GetProperty("line").GetInt32() > 0);
            Assert.StartsWith("metrics/", letter.GetProperty("source").GetString(), StringComparison.Ordinal);
        }

        var payloads = letters.Select(l => l.GetProperty("payload").GetString()!.TrimEnd('\n')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(badSent.Order(StringComparer.Ordinal).ToList(), payloads);
    }

    private static long CountedSoFar(string output)
    {
        try
        {
            return WindowOutput.Read(["fi_flood"], output).CountedPoints("10s").GetValueOrDefault("fi_flood");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return 0; // a line being appended right now
        }
    }
}
