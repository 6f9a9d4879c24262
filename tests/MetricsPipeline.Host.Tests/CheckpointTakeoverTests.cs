using System.Diagnostics;
using System.Globalization;
using System.Text;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Checkpointed <see cref="AnalyticsService"/>s on the embedded broker: an instance that stops (gracefully or
/// abruptly) is replaced by a restarted one or taken over by a second member of the group, and the windows written
/// in the end equal those of one uninterrupted instance.
/// </summary>
public sealed class CheckpointTakeoverTests : IDisposable
{
    private const long S = 1_000_000_000L;
    private const int Partitions = 4;
    private const int TicksPerPhase = 90;
    private static readonly long T0 = 1_700_000_000L / 60 * 60 * S;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly Lock ReportGate = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mp-takeover-" + Guid.NewGuid().ToString("N"));
    private readonly EmbeddedKafkaBroker _broker;
    private readonly ITestOutputHelper _output;

    public CheckpointTakeoverTests(ITestOutputHelper output)
    {
        _output = output;
        _broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = Partitions });
        foreach (var topic in new KafkaTopicOptions().All())
        {
            _broker.CreateTopic(topic);
        }
    }

    public void Dispose()
    {
        _broker.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(true, CheckpointOptions.DirectoryStore)]
    [InlineData(false, CheckpointOptions.DirectoryStore)]
    [InlineData(true, CheckpointOptions.KafkaStore)]
    public async Task WhenAnInstanceStopsAndRestartsFromItsCheckpointThenTheWindowsEqualAnUninterruptedRun(bool abrupt, string store)
    {
        var ct = TestContext.Current.CancellationToken;
        var produced = await ProduceAsync(0, ct);
        var first = Start("restart", "first", store: store);
        await WaitAsync(() => first.Aggregator.ClosedThroughNs >= ClosedTarget(1) && first.Checkpoints!.Written > 0, "the first instance to close phase 1 and checkpoint", ct);
        await StopAsync(first, abrupt);
        var consumedBefore = first.Source.RecordsConsumed;
        produced += await ProduceAsync(1, ct);

        var clock = Stopwatch.StartNew();
        var second = Start("restart", "second", store: store);
        await WaitAsync(() => second.Source.RecordsConsumed > 0, "the restarted instance to consume", ct);
        var recovery = clock.Elapsed;
        await WaitAsync(() => second.Aggregator.ClosedThroughNs >= ClosedTarget(2), "the restarted instance to close phase 2", ct);
        await second.StopAsync(TimeSpan.FromSeconds(30));

        var reprocessed = consumedBefore + second.Source.RecordsConsumed - produced;
        Report($"restart abrupt={abrupt} store={store}: recovery (start → first record) {recovery.TotalMilliseconds:F0} ms; messages reprocessed {reprocessed} of {produced}; restored partitions {second.Checkpoints!.PartitionsRestored}; checkpoints written {first.Checkpoints!.Written}+{second.Checkpoints.Written}");
        Assert.Equal(Partitions, second.Checkpoints.PartitionsRestored);
        Assert.Equal(0, second.Checkpoints.CleanStarts);
        Assert.InRange(reprocessed, 0, 2 * Partitions * 40);
        Assert.Equal(0, second.Source.OffsetGaps);
        AssertSameWindows(await ReferenceAsync(ct), ReadWindows("first", "second"));
    }

    [Theory]
    [InlineData(true, CheckpointOptions.DirectoryStore)]
    [InlineData(false, CheckpointOptions.DirectoryStore)]
    [InlineData(true, CheckpointOptions.KafkaStore)]
    public async Task WhenOneOfTwoInstancesStopsThenTheOtherTakesOverAndTheWindowsEqualASingleInstanceRun(bool abrupt, string store)
    {
        var ct = TestContext.Current.CancellationToken;
        var a = Start("pair", "a", store: store);
        var b = Start("pair", "b", store: store);
        await WaitAsync(() => a.Source.Assignment.Count > 0 && b.Source.Assignment.Count > 0 && a.Source.Assignment.Count + b.Source.Assignment.Count == Partitions, "the group to split the partitions", ct);
        var produced = await ProduceAsync(0, ct);

        await WaitAsync(() => a.Aggregator.ClosedThroughNs >= ClosedTarget(1) && b.Aggregator.ClosedThroughNs >= ClosedTarget(1) && b.Checkpoints!.Written > 0, "both instances to close phase 1 and b to checkpoint", ct);
        var bPartitions = b.Source.Assignment.Count;
        var clock = Stopwatch.StartNew();
        await StopAsync(b, abrupt);
        await WaitAsync(() => a.Source.Assignment.Count == Partitions, "the survivor to own every partition", ct);
        var takeover = clock.Elapsed;
        produced += await ProduceAsync(1, ct);
        await WaitAsync(() => a.Aggregator.ClosedThroughNs >= ClosedTarget(2), "the survivor to close phase 2", ct);
        await a.StopAsync(TimeSpan.FromSeconds(30));

        Report($"pair abrupt={abrupt} store={store}: survivor owned every partition {takeover.TotalMilliseconds:F0} ms after b stopped; b owned {bPartitions} partitions; a restored {a.Checkpoints!.PartitionsRestored}, suppressed {a.Checkpoints.WindowsSuppressed} windows; reprocessed {a.Source.RecordsConsumed + b.Source.RecordsConsumed - produced} messages");
        Assert.Equal(bPartitions, a.Checkpoints.PartitionsRestored);
        AssertSameWindows(await ReferenceAsync(ct), ReadWindows("b", "a"));
    }

    [Theory]
    [InlineData(CheckpointOptions.DirectoryStore)]
    [InlineData(CheckpointOptions.KafkaStore)]
    public async Task WhenTheTakenOverCheckpointIsBehindTheSurvivorThenNoReplayedPointIsLateAndTheWindowsEqualASingleInstanceRun(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        var a = Start("behind", "a", store: store);

        // b checkpoints once (at its first release) and then not for an hour: its checkpoint stays far behind a.
        var b = Start("behind", "b", TimeSpan.FromHours(1), store);
        await WaitAsync(() => a.Source.Assignment.Count > 0 && b.Source.Assignment.Count > 0 && a.Source.Assignment.Count + b.Source.Assignment.Count == Partitions, "the group to split the partitions", ct);
        var produced = await ProduceAsync(0, ct);
        await WaitAsync(() => b.Aggregator.ClosedThroughNs >= ClosedTarget(1) && b.Checkpoints!.Written > 0, "b to close phase 1 and checkpoint", ct);
        produced += await ProduceAsync(1, ct);
        var expected = await ReferenceAsync(ct);
        await WaitAsync(() => a.Aggregator.ClosedThroughNs >= ClosedTarget(2) && b.Aggregator.ClosedThroughNs >= ClosedTarget(2), "both instances to close phase 2", ct);
        var bPartitions = b.Source.Assignment.Count;
        var bOwned = b.Source.Assignment.Select(p => p.Partition).ToHashSet();
        var bSeries = Enumerable.Range(0, 16).Count(h => bOwned.Contains(SeriesPartitioner.Partition(Encoding.UTF8.GetBytes($"cpu,host=h{h}"), Partitions)));
        var aOwn = a.Source.RecordsConsumed;
        Assert.Equal(1, b.Checkpoints!.Written);
        await b.AbortAsync();

        // Caught up: every partition read to its end, and b's partitions released (so their windows written) as far
        // as a's own, which share their ticks.
        var clock = Stopwatch.StartNew();
        await WaitAsync(
            () => a.Source.GetLag() is { Count: Partitions } lag && lag.All(l => l.Lag == 0 && l.Acknowledged > 0 && l.Acknowledged == lag[0].Acknowledged) && a.Aggregator.PartitionsCatchingUp == 0,
            "the survivor to catch up with b's partitions",
            ct,
            () => $"catching up {a.Aggregator.PartitionsCatchingUp}, closed through {a.Aggregator.ClosedThroughNs}; {string.Join(", ", a.Source.GetLag().Select(l => $"p{l.Partition} high {l.HighWatermark} position {l.Position} acknowledged {l.Acknowledged}"))}");
        var caughtUp = clock.Elapsed;
        await a.StopAsync(TimeSpan.FromSeconds(30));
        var replayed = a.Source.RecordsConsumed - aOwn;
        Report($"behind store={store}: b owned {bPartitions} partitions ({bSeries} series), checkpointed once; the survivor restored {a.Checkpoints!.PartitionsRestored}, re-read {replayed} messages, counted {a.Counters.LatePoints} late and {a.Counters.ReplayedPoints} replayed points, caught up {caughtUp.TotalMilliseconds:F0} ms after the abort ({produced} messages produced)");
        // Replaying from the released offset re-reads points whose 10 s window b had already written (their 1 min
        // window held the offset back): b read them before its checkpoint, so they are replayed, not late (issue 9),
        // at most one minute plus the grace of values per field and series of b's partitions (two fields a line; the 16
        // series do not hash evenly over the partitions). Before the catch-up every re-read point of b's open
        // windows was late (over 1,000 here).
        Assert.Equal(0, a.Counters.LatePoints);
        Assert.InRange(a.Counters.ReplayedPoints, 0, bSeries * 2 * (60 + 10) / 2);
        Assert.Equal(0, a.Checkpoints.CleanStarts);
        Assert.True(replayed >= bPartitions * TicksPerPhase, $"the survivor re-read only {replayed} messages: b's checkpoint was not behind");
        AssertSameWindows(expected, ReadWindows("b", "a"));
    }

    // The runner does not show the output of passing tests: the measured numbers also go to checkpoint-numbers.txt
    // beside the test assembly.
    private void Report(string line)
    {
        _output.WriteLine(line);
        lock (ReportGate)
        {
            File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "checkpoint-numbers.txt"), $"{DateTime.UtcNow:O} {line}{Environment.NewLine}");
        }
    }

    private static long ClosedTarget(int phases) => T0 + ((phases * TicksPerPhase) - 1) * 2 * S - (10 * S);

    // One uninterrupted instance of its own group reading both phases.
    private async Task<Dictionary<string, string>> ReferenceAsync(CancellationToken ct)
    {
        var reference = Start("reference", "reference");
        await WaitAsync(() => reference.Aggregator.ClosedThroughNs >= ClosedTarget(2), "the reference to close every window", ct);
        await reference.StopAsync(TimeSpan.FromSeconds(30));
        return ReadWindows("reference");
    }

    private AnalyticsService Start(string group, string instance, TimeSpan? interval = null, string store = CheckpointOptions.DirectoryStore)
    {
        var settings = new PipelineSettings
        {
            OutputDirectory = Path.Combine(_root, "out", instance),
            Kafka = new KafkaSettings { BootstrapServers = _broker.BootstrapServers, GroupId = group },
            TickInterval = TimeSpan.FromMilliseconds(200),
        };
        settings.Kafka.Consumer["session.timeout.ms"] = "3000";
        settings.Kafka.Consumer["heartbeat.interval.ms"] = "500";
        settings.Sink.FlushInterval = TimeSpan.FromMilliseconds(100);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Scaling:Enabled"] = "false",
            ["Analytics:Anomaly:Enabled"] = "false",
            ["Analytics:Forecasting:Enabled"] = "false",
        }).Build();
        var state = new CheckpointOptions { Directory = Path.Combine(_root, "state"), Interval = interval ?? TimeSpan.Zero, Store = store };
        return AnalyticsService.Start(settings, _broker.BootstrapServers, NullLoggerFactory.Instance, configuration: configuration, state: state);
    }

    private static Task StopAsync(AnalyticsService service, bool abrupt) =>
        abrupt ? service.AbortAsync() : service.StopAsync(TimeSpan.FromSeconds(30));

    // Phase n: 90 ticks of 2 s; 16 series (cpu,host=h0..h15), one message per partition and tick.
    private async Task<int> ProduceAsync(int phase, CancellationToken ct)
    {
        // Only FlushAsync sends (the linger timer would split a tick's lines of a partition into two messages when this
        // thread is descheduled mid-tick on a loaded machine): exactly one message per partition and tick, so equal
        // offsets in different partitions mean equal ticks.
        await using var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = _broker.BootstrapServers, Topic = "metrics", LingerMs = 3_600_000 });
        var messages = 0;
        for (var tick = phase * TicksPerPhase; tick < (phase + 1) * TicksPerPhase; tick++)
        {
            var touched = new HashSet<int>();
            for (var h = 0; h < 16; h++)
            {
                var key = $"cpu,host=h{h}";
                var value = ((tick * 7) + (h * 13)) % 101;
                var line = string.Create(CultureInfo.InvariantCulture, $"{key} usage={value},load={value * 0.25} {T0 + (tick * 2 * S)}\n");
                producer.Append(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(line));
                touched.Add(SeriesPartitioner.Partition(Encoding.UTF8.GetBytes(key), Partitions));
            }

            await producer.FlushAsync(ct);
            Assert.Equal(Partitions, touched.Count); // every partition delivers, so none holds the watermark back
            messages += touched.Count;
        }

        Assert.Equal(0, producer.DeliveryErrors);
        Assert.Equal(messages, producer.MessagesSent);
        return messages;
    }

    private static async Task WaitAsync(Func<bool> condition, string what, CancellationToken ct, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"Timed out after {Deadline} waiting for {what}.{(describe is null ? "" : " " + describe())}");
            }

            // Polling a condition with a deadline: the pipeline runs on real threads and the broker in real time.
            await Task.Delay(50, ct);
        }
    }

    // Window points by "line protocol without fields" → fields; later directories overwrite earlier ones (as InfluxDB would).
    private Dictionary<string, string> ReadWindows(params string[] instances)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            var directory = Path.Combine(_root, "out", instance);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                foreach (var line in File.ReadLines(file))
                {
                    var parts = line.Split(' ');
                    if (parts.Length == 3 && parts[0].StartsWith("cpu", StringComparison.Ordinal))
                    {
                        result[parts[0] + " " + parts[2]] = parts[1];
                    }
                }
            }
        }

        return result;
    }

    private static void AssertSameWindows(Dictionary<string, string> expected, Dictionary<string, string> actual)
    {
        Assert.NotEmpty(expected);
        var missing = expected.Keys.Except(actual.Keys).Take(5).ToList();
        var extra = actual.Keys.Except(expected.Keys).Take(5).ToList();
        var different = expected.Where(e => actual.TryGetValue(e.Key, out var v) && v != e.Value).Select(e => e.Key).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && different.Count == 0, $"{expected.Count} expected, {actual.Count} written; missing [{string.Join("; ", missing)}], extra [{string.Join("; ", extra)}], different [{string.Join("; ", different)}]");
    }
}
