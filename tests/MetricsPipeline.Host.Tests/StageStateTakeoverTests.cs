using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Observability;
using MetricsPipeline.Kafka;
using MetricsPipeline.Kafka.Native;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Issue 9's last gap: two checkpointed <see cref="AnalyticsService"/>s with forecasting, anomaly detection and scaling
/// on, the fleet routed by service (one service per partition); one is stopped abruptly and the survivor takes over its
/// services. The forecasts, anomaly points, alerts and scaling commands the pair produced equal one instance's, because
/// the survivor restores the taken-over services' stage state from the dead member's checkpoint of their partitions.
/// </summary>
public sealed class StageStateTakeoverTests : IDisposable
{
    private const long S = 1_000_000_000L;
    private const int Partitions = 4;
    private const int TickSeconds = 20;
    private const int Phase0Minutes = 70;
    private const int Phase1Minutes = 50;
    private static readonly long T0 = 1_790_002_800L * S;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Measurements = ["forecast", "anomaly", "scaling", "alert", "cost", "service"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mp-stagetakeover-" + Guid.NewGuid().ToString("N"));
    private readonly EmbeddedKafkaBroker _broker;
    private readonly ITestOutputHelper _output;
    private readonly string[] _services;

    public StageStateTakeoverTests(ITestOutputHelper output)
    {
        _output = output;
        _broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = Partitions });
        foreach (var topic in new KafkaTopicOptions().All().Concat(["ref-alerts", "ref-scaling-commands", "ref-cost-alerts"]))
        {
            _broker.CreateTopic(topic);
        }

        // Routing by service: the message key is the service, so pick four services that land on four partitions.
        var candidates = new[] { "api", "web", "auth", "cart", "search", "billing", "media", "users", "orders", "queue", "mail", "feed" };
        _services = [.. candidates.GroupBy(s => SeriesPartitioner.Partition(Encoding.UTF8.GetBytes(s), Partitions)).OrderBy(g => g.Key).Select(g => g.First())];
        Assert.Equal(Partitions, _services.Length);
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
    [InlineData(CheckpointOptions.DirectoryStore)]
    [InlineData(CheckpointOptions.KafkaStore)]
    public async Task WhenOneOfTwoInstancesIsKilledThenTheSurvivorsForecastsAlertsAndCommandsEqualASingleInstances(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        var a = Start("pair", "a", false, store);
        var b = Start("pair", "b", false, store);
        await WaitAsync(() => a.Source.Assignment.Count > 0 && b.Source.Assignment.Count > 0 && a.Source.Assignment.Count + b.Source.Assignment.Count == Partitions, "the group to split the partitions", ct);
        await ProduceAsync(0, Phase0Minutes, ct);
        await WaitAsync(() => a.Aggregator.ClosedThroughNs >= ClosedTarget(Phase0Minutes) && b.Aggregator.ClosedThroughNs >= ClosedTarget(Phase0Minutes) && b.Checkpoints!.Written > 0, "both instances to close phase 1 and b to checkpoint", ct);

        var bPartitions = b.Source.Assignment.Count;
        var clock = Stopwatch.StartNew();
        await b.AbortAsync();
        await WaitAsync(() => a.Source.Assignment.Count == Partitions, "the survivor to own every partition", ct);
        var takeover = clock.Elapsed;
        await ProduceAsync(Phase0Minutes, Phase0Minutes + Phase1Minutes, ct);
        await WaitAsync(() => a.Aggregator.ClosedThroughNs >= ClosedTarget(Phase0Minutes + Phase1Minutes), "the survivor to close phase 2", ct);
        // What /metrics serves: the survivor's restored keys, rendered in the Prometheus text format.
        var metrics = PrometheusTextFormat.Write(PipelineTelemetry.Collect(a));
        await a.StopAsync(TimeSpan.FromSeconds(30));

        var reference = Start("reference", "reference", true);
        await WaitAsync(() => reference.Aggregator.ClosedThroughNs >= ClosedTarget(Phase0Minutes + Phase1Minutes), "the reference to close every window", ct);
        await reference.StopAsync(TimeSpan.FromSeconds(30));

        var expected = ReadPoints("reference");
        var actual = ReadPoints("b", "a");
        var expectedCommands = Consume("ref-scaling-commands");
        var actualCommands = Consume("scaling-commands");
        var expectedAlerts = Consume("ref-alerts");
        var actualAlerts = Consume("alerts");
        // Cost alerts of the services (keyed by scope; the "total" scope is each member's own, see ReadPoints).
        var expectedCostAlerts = new SortedSet<string>(Consume("ref-cost-alerts").Where(m => !m.StartsWith("total ", StringComparison.Ordinal)), StringComparer.Ordinal);
        var actualCostAlerts = new SortedSet<string>(Consume("cost-alerts").Where(m => !m.StartsWith("total ", StringComparison.Ordinal)), StringComparer.Ordinal);
        var count = (string m) => expected.Keys.Count(k => k.StartsWith(m + ",", StringComparison.Ordinal));
        var predictive = (SortedSet<string> commands) => commands.Count(c => c.Contains("\"trigger\":\"predictive\"", StringComparison.Ordinal));
        var line = $"stage takeover store={store}: b owned {bPartitions} partitions; survivor owned all {takeover.TotalMilliseconds:F0} ms after the abort; keys restored {a.Checkpoints!.KeysRestored}; compared {count("forecast")} forecast, {count("anomaly")} anomaly, {count("scaling")} scaling, {count("alert")} alert, {count("cost")} cost points; {expectedCommands.Count} commands ({predictive(expectedCommands)} predictive), {expectedAlerts.Count} alert messages, {expectedCostAlerts.Count} service cost alerts (pair: {actualCommands.Count} ({predictive(actualCommands)} predictive), {actualAlerts.Count}, {actualCostAlerts.Count})";
        _output.WriteLine(line);
        File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "checkpoint-numbers.txt"), $"{DateTime.UtcNow:O} {line}{Environment.NewLine}");

        Assert.True(a.Checkpoints.KeysRestored > 0, "the survivor restored no stage key from b's checkpoint");
        Assert.Contains("pipeline_checkpoint_keys_dropped_total ", metrics, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^pipeline_checkpoint_keys_restored_total [1-9]", metrics);
        Assert.Equal(0, a.Checkpoints.StageRestoreFailures);
        Assert.True(count("forecast") > 0 && count("anomaly") > 0 && count("scaling") > 0, "the scenario must produce forecasts, anomalies and commands");
        Assert.NotEmpty(expectedCommands);
        Assert.True(predictive(expectedCommands) > 0, "the scenario must produce predictive commands");
        Assert.NotEmpty(expectedAlerts);
        AssertSame(expected, actual);
        Assert.True(expectedCommands.SetEquals(actualCommands), $"commands only in the reference: [{string.Join("; ", expectedCommands.Except(actualCommands))}]; only in the pair: [{string.Join("; ", actualCommands.Except(expectedCommands))}]");
        Assert.True(expectedCostAlerts.SetEquals(actualCostAlerts), $"cost alerts only in the reference: [{string.Join("; ", expectedCostAlerts.Except(actualCostAlerts).Take(5))}]; only in the pair: [{string.Join("; ", actualCostAlerts.Except(expectedCostAlerts).Take(5))}]");
        Assert.True(expectedAlerts.SetEquals(actualAlerts), $"alerts only in the reference: [{string.Join("; ", expectedAlerts.Except(actualAlerts).Take(5))}]; only in the pair: [{string.Join("; ", actualAlerts.Except(expectedAlerts).Take(5))}]");
    }

    private static long ClosedTarget(int minutes) => T0 + (minutes * 60 * S) - (TickSeconds * S) - (10 * S);

    private AnalyticsService Start(string group, string instance, bool reference, string store = CheckpointOptions.DirectoryStore)
    {
        var settings = new PipelineSettings
        {
            OutputDirectory = Path.Combine(_root, "out", instance),
            Kafka = new KafkaSettings { BootstrapServers = _broker.BootstrapServers, GroupId = group },
            TickInterval = TimeSpan.FromMilliseconds(200),
        };
        if (reference)
        {
            settings.Kafka.Topics.Alerts = "ref-alerts";
            settings.Kafka.Topics.ScalingCommands = "ref-scaling-commands";
            settings.Kafka.Topics.CostAlerts = "ref-cost-alerts";
        }

        settings.Kafka.Consumer["session.timeout.ms"] = "3000";
        settings.Kafka.Consumer["heartbeat.interval.ms"] = "500";
        settings.Sink.FlushInterval = TimeSpan.FromMilliseconds(100);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Forecasting:Enabled"] = "true",
            ["Analytics:Forecasting:TrainSize"] = "30",
            ["Analytics:Forecasting:WindowSize"] = "8",
            ["Analytics:Forecasting:MaxRank"] = "4",
            ["Analytics:Forecasting:Horizon"] = "5",
            ["Analytics:Anomaly:Enabled"] = "true",
            ["Analytics:Scaling:Enabled"] = "true",
            // Predictive scaling with its capacity estimate complete and its calibration in use well before the
            // takeover, and a seasonal candidate with a season inside the run, so all of its state matters after it.
            ["Analytics:Scaling:PredictiveEnabled"] = "true",
            ["Analytics:Scaling:CapacityEstimateWindows"] = "10",
            ["Analytics:Scaling:Predictive:MinCalibrationSamples"] = "20",
            ["Analytics:Scaling:Predictive:CalibrationWindow"] = "01:00:00",
            ["Analytics:Scaling:Predictive:SeasonalPeriod"] = "00:30:00",
            // The cost engine's per-service spend is restored with the service; its fleet-wide "total" scope is each
            // member's own (see ReadPoints).
            ["Analytics:Cost:Enabled"] = "true",
        }).Build();
        var state = new CheckpointOptions { Directory = Path.Combine(_root, "state"), Interval = TimeSpan.Zero, Store = store };
        return AnalyticsService.Start(settings, _broker.BootstrapServers, NullLoggerFactory.Instance, configuration: configuration, state: state);
    }

    // Every 20 s of event time, one message per service (so per partition) with its two instances' lines; every service
    // swings over 30 minutes and triples its traffic and CPU for 8 minutes in each phase.
    private async Task ProduceAsync(int fromMinute, int toMinute, CancellationToken ct)
    {
        await using var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = _broker.BootstrapServers, Topic = "metrics" });
        for (var tick = fromMinute * 60 / TickSeconds; tick < toMinute * 60 / TickSeconds; tick++)
        {
            var minute = tick * TickSeconds / 60;
            for (var s = 0; s < _services.Length; s++)
            {
                var spike = minute is >= 50 and < 58 || (minute >= 95 + (s * 3) && minute < 103 + (s * 3));
                var factor = spike ? 3.0 : 1.0;
                var text = new StringBuilder();
                for (var i = 0; i < 2; i++)
                {
                    var rate = factor * (100 + (20 * Math.Sin(2 * Math.PI * minute / 30.0)) + (i * 5) + (s * 7) + ((tick * 7919 % 13) / 3.0));
                    var cpu = Math.Min(98, (30 * factor) + (tick * 31 % 7) + i);
                    text.Append(CultureInfo.InvariantCulture, $"service,instance={_services[s]}-{i},service={_services[s]} request_rate={rate:F3},cpu_percent={cpu:F2},memory_percent=45,error_rate={(spike ? 6 : 0.2)},instances=2 {T0 + (tick * TickSeconds * S)}\n");
                }

                producer.Append(Encoding.UTF8.GetBytes(_services[s]), Encoding.UTF8.GetBytes(text.ToString()));
            }

            await producer.FlushAsync(ct);
        }

        Assert.Equal(0, producer.DeliveryErrors);
    }

    private static async Task WaitAsync(Func<bool> condition, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"Timed out after {Deadline} waiting for {what}.");
            }

            // Polling a condition with a deadline: the pipeline runs on real threads and the broker in real time.
            await Task.Delay(50, ct);
        }
    }

    // Points by "measurement,tags timestamp" → fields; later directories overwrite earlier ones (as InfluxDB would).
    private Dictionary<string, string> ReadPoints(params string[] instances)
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
                    // String fields (a command's reason) contain spaces: the series ends at the first unescaped
                    // space, the timestamp starts after the last one.
                    var series = SeriesEnd(line);
                    var last = line.LastIndexOf(' ');
                    // The cost engine's "total" scope sums the services an instance sees: each member of a pair writes
                    // the total of its own, so those points cannot equal one instance's and are left out.
                    if (series > 0 && last > series && Measurements.Contains(line[..line.IndexOf(',', StringComparison.Ordinal)])
                        && !line[..series].Contains(",scope=total", StringComparison.Ordinal))
                    {
                        result[line[..series] + " " + line[(last + 1)..]] = line[(series + 1)..last];
                    }
                }
            }
        }

        return result;
    }

    private static int SeriesEnd(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == ' ')
            {
                return i;
            }
        }

        return -1;
    }

    // The distinct messages of a topic (a command or alert re-published after a replay carries the same id and payload).
    private SortedSet<string> Consume(string topic)
    {
        LibrdkafkaLoader.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = _broker.BootstrapServers,
            GroupId = "check-" + Guid.NewGuid().ToString("N"),
            EnablePartitionEof = true,
            EnableAutoCommit = false,
            SessionTimeoutMs = 3000,
            HeartbeatIntervalMs = 500,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var ended = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        while (ended.Count < Partitions)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"reading {topic} did not reach the end of every partition");
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
            {
                continue;
            }

            if (record.IsPartitionEOF)
            {
                ended.Add(record.Partition.Value);
                continue;
            }

            result.Add(record.Message.Key + " " + record.Message.Value);
        }

        consumer.Close();
        return result;
    }

    private static void AssertSame(Dictionary<string, string> expected, Dictionary<string, string> actual)
    {
        Assert.NotEmpty(expected);
        var missing = expected.Keys.Except(actual.Keys).Take(5).ToList();
        var extra = actual.Keys.Except(expected.Keys).Take(5).ToList();
        var different = expected.Where(e => actual.TryGetValue(e.Key, out var v) && v != e.Value).Select(e => $"{e.Key}: {e.Value} vs {actual[e.Key]}").Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && different.Count == 0, $"{expected.Count} expected, {actual.Count} written; missing [{string.Join("; ", missing)}], extra [{string.Join("; ", extra)}], different [{string.Join("; ", different)}]");
    }
}
