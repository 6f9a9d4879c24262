using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MetricsPipeline.Fleet;

namespace MetricsPipeline.Host.Bench;

/// <summary>
/// <c>metrics-pipeline bench scale --instances 1,2,3</c>: throughput of 1, 2, 3 … <c>run</c> processes in one
/// consumer group on one machine. The embedded broker (<c>broker</c>, its own process, 12 partitions) is filled once
/// by a <c>fleet</c> backfill; then each group size drains the whole topic as a fresh group (windows to line-protocol
/// files, as <c>bench e2e</c>), in alternating order per round. Throughput is the points divided by the time from the
/// group's first record to every partition's lag reaching 0 (scraped from each instance's /metrics every 250 ms).
/// For where the time goes, it records the CPU seconds of every <c>run</c> and of the broker over that interval
/// and the machine's load average.
/// </summary>
internal static class ScaleBench
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static Command CreateCommand()
    {
        var instances = new Option<string>("--instances") { Description = "Group sizes to measure, comma-separated.", DefaultValueFactory = _ => "1,2,3" };
        var services = new Option<int>("--services") { Description = "Simulated services.", DefaultValueFactory = _ => 25 };
        var fleetInstances = new Option<int>("--fleet-instances") { Description = "Simulated instances per service.", DefaultValueFactory = _ => 8 };
        var samples = new Option<int>("--latency-samples") { Description = "Latency samples per instance per interval.", DefaultValueFactory = _ => 20 };
        var history = new Option<string>("--history") { Description = "Event time backfilled once (the embedded broker keeps ~5 MB per partition: keep the volume below that).", DefaultValueFactory = _ => "30m" };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (each measures every group size, in alternating order).", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--output") { Description = "JSON results file.", DefaultValueFactory = _ => "scale.json" };
        var command = new Command("scale", "Scale-out on one machine: points/s of 1, 2, 3 … run processes in one consumer group draining the same topic, with their CPU and the broker's.");
        foreach (var option in new Option[] { instances, services, fleetInstances, samples, history, rounds, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var sizes = (parse.GetValue(instances) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1)
                .ToList();
            if (sizes.Count == 0 || sizes.Any(n => n < 1 || n > 12) || parse.GetValue(rounds) < 1 || !DurationParser.TryParse(parse.GetValue(history), out _))
            {
                await Console.Error.WriteLineAsync("error: --instances must be sizes between 1 and 12 (e.g. 1,2,3), --rounds at least 1 and --history a duration.");
                return 2;
            }

            if (!BenchOutput.CanWrite(parse.GetValue(output)))
            {
                return 2;
            }

            var settings = new ScaleSettings(sizes, parse.GetValue(services), parse.GetValue(fleetInstances), parse.GetValue(samples), parse.GetValue(history)!, parse.GetValue(rounds), parse.GetValue(output)!);
            return await RunAsync(settings, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ScaleSettings scale, CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"mp-scale-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var children = new List<Process>();
        try
        {
            var broker = BenchProcesses.StartSelf(["broker", "--partitions", "12"], children);
            var bootstrap = (await BenchProcesses.ReadLineAsync(broker, l => l.StartsWith("bootstrap.servers=", StringComparison.Ordinal), TimeSpan.FromSeconds(60), ct))["bootstrap.servers=".Length..];
            var fleet = BenchProcesses.StartSelf(
                ["fleet", "--bootstrap-servers", bootstrap, "--services", scale.Services.ToString(CultureInfo.InvariantCulture), "--instances", scale.FleetInstances.ToString(CultureInfo.InvariantCulture),
                 "--latency-samples", scale.LatencySamples.ToString(CultureInfo.InvariantCulture), "--history", scale.History, "--duration", "0s"],
                children);
            var fleetOutput = await fleet.StandardOutput.ReadToEndAsync(ct);
            await fleet.WaitForExitAsync(ct);
            var (points, messages) = BenchProcesses.ParseSent(fleetOutput);
            if (fleet.ExitCode != 0 || points <= 0)
            {
                await Console.Error.WriteLineAsync($"error: the fleet backfill failed (exit {fleet.ExitCode}): {fleetOutput}");
                return 1;
            }

            Console.Error.WriteLine($"backfilled {points:N0} points in {messages:N0} messages");
            var results = new List<Measurement>();
            for (var round = 0; round < scale.Rounds && !ct.IsCancellationRequested; round++)
            {
                var order = round % 2 == 0 ? scale.Sizes : [.. Enumerable.Reverse(scale.Sizes)];
                foreach (var size in order)
                {
                    var measurement = await MeasureAsync(size, round, bootstrap, broker, points, messages, directory, ct);
                    results.Add(measurement);
                    Console.Error.WriteLine(
                        $"round {round + 1}, {size} instance(s): {measurement.PointsPerSecond:N0} points/s over {measurement.Seconds:F1} s; run CPU {measurement.RunCpuSeconds:F1} s ({measurement.RunCpuSeconds / measurement.Seconds:F2} cores), broker CPU {measurement.BrokerCpuSeconds:F1} s ({measurement.BrokerCpuSeconds / measurement.Seconds:F2} cores); messages read {measurement.MessagesRead} of {messages}; load {measurement.Load}");
                }
            }

            var baseline = BenchStatistics.Median(results.Where(r => r.Instances == scale.Sizes[0]).Select(r => r.PointsPerSecond));
            var json = new Dictionary<string, object>
            {
                ["points"] = points,
                ["messages"] = messages,
                ["partitions"] = 12,
                ["processor_count"] = Environment.ProcessorCount,
                ["by_instances"] = scale.Sizes.Select(size =>
                {
                    var mine = results.Where(r => r.Instances == size).ToList();
                    var median = BenchStatistics.Median(mine.Select(r => r.PointsPerSecond));
                    return new Dictionary<string, object>
                    {
                        ["instances"] = size,
                        ["points_per_second"] = Math.Round(median),
                        ["ratio_to_first"] = Math.Round(median / baseline, 3),
                        ["run_cpu_cores"] = Math.Round(BenchStatistics.Median(mine.Select(r => r.RunCpuSeconds / r.Seconds)), 2),
                        ["broker_cpu_cores"] = Math.Round(BenchStatistics.Median(mine.Select(r => r.BrokerCpuSeconds / r.Seconds)), 2),
                        ["run_cpu_seconds_per_million_points"] = Math.Round(BenchStatistics.Median(mine.Select(r => r.RunCpuSeconds / points * 1e6)), 2),
                    };
                }).ToList(),
                ["rounds"] = results.Select(r => new Dictionary<string, object>
                {
                    ["round"] = r.Round + 1,
                    ["instances"] = r.Instances,
                    ["seconds"] = Math.Round(r.Seconds, 2),
                    ["points_per_second"] = Math.Round(r.PointsPerSecond),
                    ["run_cpu_seconds"] = Math.Round(r.RunCpuSeconds, 2),
                    ["run_cpu_seconds_each"] = r.RunCpuEach.Select(c => Math.Round(c, 2)).ToList(),
                    ["broker_cpu_seconds"] = Math.Round(r.BrokerCpuSeconds, 2),
                    ["messages_read"] = r.MessagesRead,
                    ["loadavg"] = r.Load,
                }).ToList(),
            };
            await BenchOutput.PrintAndWriteAsync(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }), scale.Output, ct);
            return 0;
        }
        finally
        {
            foreach (var child in children)
            {
                BenchProcesses.StopChild(child);
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is under the temp directory.
            }
        }
    }

    private static async Task<Measurement> MeasureAsync(int size, int round, string bootstrap, Process broker, long points, long messages, string directory, CancellationToken ct)
    {
        var group = $"scale-{round}-{size}";
        var runs = new List<Process>();
        var ports = new List<int>();
        try
        {
            for (var i = 0; i < size; i++)
            {
                var port = FreePort();
                ports.Add(port);
                var config = Path.Combine(directory, $"{group}-{i}.json");
                await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["Kafka"] = new Dictionary<string, object>
                    {
                        ["BootstrapServers"] = bootstrap,
                        ["GroupId"] = group,
                        ["Consumer"] = new Dictionary<string, string> { ["session.timeout.ms"] = "3000", ["heartbeat.interval.ms"] = "500" },
                    },
                    ["Output"] = new Dictionary<string, string> { ["Directory"] = Path.Combine(directory, $"{group}-{i}") },
                    ["Host"] = new Dictionary<string, string> { ["Listen"] = $"127.0.0.1:{port}" },
                    ["Logging"] = new Dictionary<string, object> { ["LogLevel"] = new Dictionary<string, string> { ["Default"] = "Warning" } },
                }), ct);
                runs.Add(BenchProcesses.StartSelf(["run", "--config", config], new List<Process>(), drainOutput: true));
            }

            // From the group's first record to every partition drained; CPU over the same interval.
            var deadline = Stopwatch.StartNew();
            Stopwatch? clock = null;
            double[] runCpuAtStart = [];
            var brokerCpuAtStart = 0.0;
            var load = string.Empty;
            while (deadline.Elapsed < TimeSpan.FromMinutes(10))
            {
                ct.ThrowIfCancellationRequested();
                var scrapes = await Task.WhenAll(ports.Select(p => ScrapeAsync(p, ct)));
                var read = scrapes.Sum(s => s.GetValueOrDefault("pipeline_messages_received_total"));
                if (clock is null && read > 0)
                {
                    clock = Stopwatch.StartNew();
                    runCpuAtStart = [.. runs.Select(r => BenchProcesses.CpuSeconds(r.Id))];
                    brokerCpuAtStart = BenchProcesses.CpuSeconds(broker.Id);
                    load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", ct)).Trim() : string.Empty;
                }

                var lags = scrapes.SelectMany(s => s.Where(kv => kv.Key.StartsWith("pipeline_consumer_lag_messages{", StringComparison.Ordinal))).ToList();
                var partitions = lags.Select(kv => kv.Key).Distinct().Count();
                if (clock is not null && read >= messages && partitions >= 12 && lags.All(kv => kv.Value == 0))
                {
                    var seconds = clock.Elapsed.TotalSeconds;
                    var runCpu = runs.Select((r, i) => BenchProcesses.CpuSeconds(r.Id) - runCpuAtStart[i]).ToList();
                    return new Measurement(size, round, seconds, points / seconds, runCpu.Sum(), runCpu, BenchProcesses.CpuSeconds(broker.Id) - brokerCpuAtStart, (long)read, load);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }

            throw new TimeoutException($"{size} instance(s) did not drain the topic within 10 minutes");
        }
        finally
        {
            foreach (var run in runs)
            {
                BenchProcesses.StopChild(run);
                run.Dispose();
            }
        }
    }

    private static async Task<Dictionary<string, double>> ScrapeAsync(int port, CancellationToken ct)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        string text;
        try
        {
            text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return result; // not listening yet
        }

        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                result[line[..space]] = value;
            }
        }

        return result;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record ScaleSettings(IReadOnlyList<int> Sizes, int Services, int FleetInstances, int LatencySamples, string History, int Rounds, string Output);

    private sealed record Measurement(int Instances, int Round, double Seconds, double PointsPerSecond, double RunCpuSeconds, IReadOnlyList<double> RunCpuEach, double BrokerCpuSeconds, long MessagesRead, string Load);
}
