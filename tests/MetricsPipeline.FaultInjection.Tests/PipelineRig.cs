using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetricsPipeline.Testing;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// A scenario's processes: the embedded broker as its own process, the simulated fleet and any number of
/// <c>run</c> instances, each writing its windows as line protocol into a directory of the scenario. Disposing kills
/// whatever is still running and deletes the directory.
/// </summary>
internal sealed partial class PipelineRig : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<ChildProcess> children = [];

    private PipelineRig(ChildProcess broker, string bootstrap, string directory)
    {
        Broker = broker;
        Bootstrap = bootstrap;
        Directory = directory;
    }

    public ChildProcess Broker { get; }

    public string Bootstrap { get; }

    /// <summary>The scenario's scratch directory (configs and outputs).</summary>
    public string Directory { get; }

    /// <summary>Everything every process printed, for assertion messages.</summary>
    public string Logs => string.Join('\n', children.Prepend(Broker).Select(c => c.Output));

    public static async Task<PipelineRig> StartAsync(CancellationToken ct, int partitions = 12)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"mp-faults-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var broker = ChildProcess.Start("broker", ["broker", "--partitions", partitions.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            var line = await broker.WaitForLineAsync(l => l.StartsWith("bootstrap.servers=", StringComparison.Ordinal), TimeSpan.FromSeconds(60), ct);
            return new PipelineRig(broker, line["bootstrap.servers=".Length..], directory);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The scenarios' checkpoint interval: short, so the fleet's 20-odd seconds of wall time see several checkpoints
    /// (a crash then restores one instead of starting clean).
    /// </summary>
    public const string CheckpointInterval = "00:00:02";

    /// <summary>The measurements the simulated fleet writes, whose windows the scenarios compare.</summary>
    public static readonly string[] FleetMeasurements = ["http_request", "service"];

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds; after <paramref name="timeout"/> fails with <paramref name="logs"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> logs, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }

        throw new TimeoutException($"condition not met within {timeout}\n{logs()}");
    }

    /// <summary>
    /// A free loopback port for a <c>run</c> instance's /metrics, below the kernel's ephemeral range (see
    /// <see cref="LoopbackPort"/>): an instance that cannot bind its port serves no /metrics, and every wait of the
    /// scenario on it times out.
    /// </summary>
    public static int FreePort() => LoopbackPort.Free();

    /// <summary>
    /// Starts <c>metrics-pipeline run</c> in consumer group <paramref name="group"/>, writing windows into
    /// <paramref name="outputDirectory"/> (when given), serving /metrics on <paramref name="port"/>, checkpointing
    /// into <paramref name="stateDirectory"/> (<c>--state-dir</c>, every <see cref="CheckpointInterval"/>) when given.
    /// </summary>
    public RunInstance StartRun(string name, string group, string? outputDirectory, int port, IDictionary<string, object>? extra = null, IReadOnlyDictionary<string, string>? environment = null, string? stateDirectory = null)
    {
        var config = new Dictionary<string, object>
        {
            ["Kafka"] = new Dictionary<string, object>
            {
                ["BootstrapServers"] = Bootstrap,
                ["GroupId"] = group,

                // The mock cluster stalls a group for session.timeout.ms on every join and leave.
                ["Consumer"] = new Dictionary<string, string> { ["session.timeout.ms"] = "3000", ["heartbeat.interval.ms"] = "500" },
            },

            // Partitions without data stop holding the watermark after 2 s, so windows close while the scenario runs
            // (and offsets get committed), not only at shutdown.
            ["Analytics"] = new Dictionary<string, object> { ["Windows"] = new Dictionary<string, string> { ["IdleTimeout"] = "00:00:02" } },
            ["Host"] = new Dictionary<string, string> { ["Listen"] = $"127.0.0.1:{port}" },
        };
        if (outputDirectory is not null)
        {
            config["Output"] = new Dictionary<string, string> { ["Directory"] = outputDirectory };
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, object>())
        {
            config[key] = value;
        }

        var path = Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        string[] state = stateDirectory is null ? [] : ["--state-dir", stateDirectory, "--checkpoint-interval", CheckpointInterval];
        var child = ChildProcess.Start(name, ["run", "--config", path, .. state], environment);
        children.Add(child);
        return new RunInstance(child, port);
    }

    /// <summary>Starts the simulated fleet against the broker (returns at once).</summary>
    public ChildProcess StartFleet(params string[] args)
    {
        var child = ChildProcess.Start("fleet", ["fleet", "--bootstrap-servers", Bootstrap, .. args]);
        children.Add(child);
        return child;
    }

    /// <summary>Waits for the fleet to finish and returns its per-measurement point counts.</summary>
    public static async Task<FleetReport> WaitForFleetAsync(ChildProcess fleet, TimeSpan timeout, CancellationToken ct)
    {
        var exit = await fleet.WaitForExitAsync(timeout, ct);
        var match = SentLine().Match(fleet.Output);
        if (exit != 0 || !match.Success)
        {
            throw new InvalidOperationException($"fleet exited {exit}:\n{fleet.Output}");
        }

        var byMeasurement = match.Groups["by"].Value.Split(", ")
            .Select(part => part.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        return new FleetReport(
            long.Parse(match.Groups["points"].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups["messages"].Value, CultureInfo.InvariantCulture),
            byMeasurement);
    }

    /// <summary>
    /// Closes every window of the fleet's data on <paramref name="instances"/>: writes one point of a measurement the
    /// scenarios ignore (<c>fault_marker</c>), timestamped 30 minutes ahead (after the fleet's last event time), and
    /// waits until each instance closed more windows. A graceful stop with checkpointed state keeps the open windows
    /// open (the next start rebuilds them) instead of flushing them, so scenarios that compare outputs close them
    /// this way before stopping; the marker's own window stays open and is not compared.
    /// </summary>
    public async Task CloseFleetWindowsAsync(IReadOnlyList<RunInstance> instances, CancellationToken ct)
    {
        var before = new List<double>();
        foreach (var instance in instances)
        {
            before.Add(await instance.MetricAsync("pipeline_windows_closed_total", ct));
        }

        var at = (DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30)).ToUnixTimeMilliseconds() * 1_000_000;
        await using (var producer = new MetricsPipeline.Kafka.KafkaMessageProducer(new MetricsPipeline.Kafka.KafkaProducerOptions { BootstrapServers = Bootstrap, Topic = "metrics" }))
        {
            await producer.ProduceAsync("metrics", "fault_marker", System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"fault_marker value=1i {at}\n")), ct);
            await producer.FlushAsync(ct);
        }

        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var closed = before[i];
            await WaitUntilAsync(async () => await instance.MetricAsync("pipeline_windows_closed_total", ct) > closed, TimeSpan.FromSeconds(60), () => Logs, ct);
        }
    }

    /// <summary>Reads a <c>run</c> instance's /metrics into name{labels} → value; empty when it does not answer.</summary>
    public static async Task<Dictionary<string, double>> ScrapeAsync(int port, CancellationToken ct)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        string text;
        try
        {
            text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return result;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                result[line[..space]] = value;
            }
        }

        return result;
    }

    /// <summary>
    /// Waits until the instances together report a lag of 0 on at least <paramref name="partitionsWithData"/>
    /// partitions, twice in a row a second apart (everything the fleet sent has been read).
    /// </summary>
    public static async Task WaitForDrainedAsync(IReadOnlyList<RunInstance> instances, int partitionsWithData, TimeSpan timeout, CancellationToken ct, Func<string>? logs = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var streak = 0;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var lags = new List<double>();
            foreach (var instance in instances)
            {
                var metrics = await ScrapeAsync(instance.Port, ct);
                lags.AddRange(metrics.Where(kv => kv.Key.StartsWith("pipeline_consumer_lag_messages", StringComparison.Ordinal)).Select(kv => kv.Value));
            }

            last = $"{lags.Count} partitions reporting, total lag {lags.Sum()}";
            streak = lags.Count >= partitionsWithData && lags.All(l => l == 0) ? streak + 1 : 0;
            if (streak >= 2)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        throw new TimeoutException($"not drained within {timeout} ({last})\n{logs?.Invoke()}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in children)
        {
            await child.DisposeAsync();
        }

        await Broker.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"sent (?<points>\d+) points in (?<messages>\d+) messages \(\d+ intervals; (?<by>[^)]*)\)")]
    private static partial Regex SentLine();
}

/// <summary>What the fleet printed when it stopped.</summary>
internal sealed record FleetReport(long Points, long Messages, IReadOnlyDictionary<string, long> PointsByMeasurement);

/// <summary>A running <c>run</c> process and the port of its /metrics.</summary>
internal sealed record RunInstance(ChildProcess Process, int Port)
{
    public async Task<double> MetricAsync(string name, CancellationToken ct) =>
        (await PipelineRig.ScrapeAsync(Port, ct)).GetValueOrDefault(name, -1);

    /// <summary>
    /// SIGTERM and wait. Returns normally on exit code 0, and also on 143 (= 128 + SIGTERM): System.CommandLine's
    /// default ProcessTerminationTimeout (2 s, Program.cs) ends the process while KafkaSource is still leaving the
    /// group, which the mock cluster stalls for about 2 s, and that can cut the final flush of the open windows (offsets
    /// of unwritten windows are not committed, so a restart would redo them). Every scenario checks its output after
    /// the stop, so a cut flush still fails the scenario; the 143 itself is recorded for the report.
    /// </summary>
    public async Task StopAsync(CancellationToken ct)
    {
        var code = await Process.TerminateAsync(TimeSpan.FromSeconds(60), ct);
        if (code != 0 && code != 143)
        {
            throw new InvalidOperationException($"{Process.Name} exited with {code}:\n{Process.Output}");
        }

        if (code == 143)
        {
            Numbers.Report("sigterm", $"{Process.Name} was ended by the 2 s termination timeout (exit 143) while stopping");
        }
    }
}
