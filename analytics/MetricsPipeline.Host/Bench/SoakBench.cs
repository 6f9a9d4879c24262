using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MetricsPipeline.Fleet;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Sinks.InfluxDb.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Bench;

/// <summary>
/// <c>metrics-pipeline bench soak --duration 30m</c>: the embedded broker (<c>broker</c>, its own process), the
/// simulated fleet (<c>fleet</c>, its own process, real time), a local <c>influxd</c> when one is installed, and the
/// analytics pipeline in this process (so its GC counts and heap are visible), for the whole duration with a fault
/// every <c>--fault-interval</c>: alternately the broker made unreachable and InfluxDB stopped. Every
/// <c>--sample-interval</c> it appends a sample (RSS, managed heap, GC counts, lag, late points, sink buffer, drops)
/// and rewrites the JSON file, so a run that is stopped early still leaves its curve; at the end it adds start, peak
/// and end RSS and the points produced against the points received.
/// </summary>
internal static class SoakBench
{
    public static Command CreateCommand()
    {
        var duration = new Option<string>("--duration") { Description = "How long to run (e.g. 30m, 5m).", DefaultValueFactory = _ => "30m" };
        var sampleInterval = new Option<string>("--sample-interval") { Description = "Time between samples.", DefaultValueFactory = _ => "10s" };
        var faultInterval = new Option<string>("--fault-interval") { Description = "Time between faults (broker down, then InfluxDB down, alternately).", DefaultValueFactory = _ => "2m" };
        var faultLength = new Option<string>("--fault-length") { Description = "How long each fault lasts.", DefaultValueFactory = _ => "15s" };
        var services = new Option<int>("--services") { Description = "Simulated services.", DefaultValueFactory = _ => 8 };
        var instances = new Option<int>("--instances") { Description = "Instances per service.", DefaultValueFactory = _ => 3 };
        var speed = new Option<double>("--speed") { Description = "Fleet speed factor (1 = real time).", DefaultValueFactory = _ => 1.0 };
        var influxd = new Option<string>("--influxd") { Description = "The influxd binary to start ('none': windows go to line-protocol files instead).", DefaultValueFactory = _ => "influxd" };
        var output = new Option<string>("--output") { Description = "JSON results file (rewritten after every sample).", DefaultValueFactory = _ => "soak.json" };
        var command = new Command("soak", "Soak: broker + fleet + influxd + analytics for a long run with periodic faults; memory, GC, lag and drops over time as JSON.");
        foreach (var option in new Option[] { duration, sampleInterval, faultInterval, faultLength, services, instances, speed, influxd, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(duration), out var total) || !DurationParser.TryParse(parse.GetValue(sampleInterval), out var every)
                || !DurationParser.TryParse(parse.GetValue(faultInterval), out var faultEvery) || !DurationParser.TryParse(parse.GetValue(faultLength), out var faultFor)
                || every <= TimeSpan.Zero || faultFor >= faultEvery)
            {
                await Console.Error.WriteLineAsync("error: --duration, --sample-interval, --fault-interval and --fault-length must be durations, with --fault-length shorter than --fault-interval.");
                return 2;
            }

            if (!BenchOutput.CanWrite(parse.GetValue(output)))
            {
                return 2;
            }

            var settings = new SoakSettings(total, every, faultEvery, faultFor, parse.GetValue(services), parse.GetValue(instances), parse.GetValue(speed), parse.GetValue(influxd)!, parse.GetValue(output)!);
            return await RunAsync(settings, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(SoakSettings soak, CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"mp-soak-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var children = new List<Process>();
        LocalInfluxd? influx = null;
        try
        {
            influx = soak.Influxd == "none" ? null : await LocalInfluxd.StartAsync(soak.Influxd, Path.Combine(directory, "influxd"), ct);
            var influxUrl = influx?.Url;
            var broker = BenchProcesses.StartSelf(["broker", "--partitions", "12"], children);
            var bootstrap = (await BenchProcesses.ReadLineAsync(broker, l => l.StartsWith("bootstrap.servers=", StringComparison.Ordinal), TimeSpan.FromSeconds(60), ct))["bootstrap.servers=".Length..];

            var config = new Dictionary<string, string?>
            {
                ["Kafka:BootstrapServers"] = bootstrap,
                ["Kafka:GroupId"] = "soak",
                ["Kafka:Consumer:session.timeout.ms"] = "3000",
                ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
                ["Analytics:Windows:IdleTimeout"] = "00:00:05",
            };
            if (influxUrl is null)
            {
                config["Output:Directory"] = Path.Combine(directory, "out");
            }
            else
            {
                config["InfluxDb:Url"] = influxUrl;
                config["InfluxDb:Database"] = "soak";
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
            var settings = PipelineConfiguration.Bind(configuration);
            if (settings.InfluxDb is { } influxOptions)
            {
                await new MetricsPipeline.Sinks.InfluxDb.InfluxDbWriter(influxOptions).EnsureDatabaseAsync(ct);
            }

            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
            var analytics = AnalyticsService.Start(settings, bootstrap, loggerFactory, configuration: configuration);
            var fleet = BenchProcesses.StartSelf(
                ["fleet", "--bootstrap-servers", bootstrap, "--services", soak.Services.ToString(CultureInfo.InvariantCulture), "--instances", soak.Instances.ToString(CultureInfo.InvariantCulture),
                 "--history", "0s", "--speed", soak.Speed.ToString(CultureInfo.InvariantCulture), "--duration", $"{(long)(soak.Duration.TotalSeconds * soak.Speed)}s"],
                children);

            var samples = new List<Dictionary<string, object>>();
            var clock = Stopwatch.StartNew();
            var nextFault = soak.FaultInterval;
            var faultNumber = 0;
            string? activeFault = null;
            var faultEnds = TimeSpan.Zero;
            var faults = new List<Dictionary<string, object>>();
            while (clock.Elapsed < soak.Duration && !ct.IsCancellationRequested)
            {
                if (activeFault is null && clock.Elapsed >= nextFault)
                {
                    activeFault = faultNumber++ % 2 == 0 || influxUrl is null ? "broker_down" : "influxdb_down";
                    await SetFaultAsync(activeFault, start: true, broker, influx);
                    faultEnds = clock.Elapsed + soak.FaultLength;
                    faults.Add(new() { ["fault"] = activeFault, ["start_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1) });
                }
                else if (activeFault is not null && clock.Elapsed >= faultEnds)
                {
                    await SetFaultAsync(activeFault, start: false, broker, influx);
                    faults[^1]["end_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
                    activeFault = null;
                    nextFault += soak.FaultInterval;
                }

                samples.Add(Sample(analytics, clock.Elapsed, activeFault));
                await WriteAsync(soak.Output, Summary(samples, faults, null, analytics, soak, influxUrl), ct);
                try
                {
                    await Task.Delay(soak.SampleInterval, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            if (activeFault is not null)
            {
                await SetFaultAsync(activeFault, start: false, broker, influx);
            }

            // The fleet stops on its own at the duration's event time; then the pipeline gets a bounded time to drain.
            // Cancelled (Ctrl+C/SIGTERM): stop the fleet now, so the children are stopped and influxd's directory is
            // removed within the host's termination timeout instead of after it.
            if (ct.IsCancellationRequested)
            {
                BenchProcesses.StopChild(fleet);
            }

            fleet.WaitForExit(TimeSpan.FromSeconds(60));
            var produced = fleet.HasExited ? BenchProcesses.ParseSent(await fleet.StandardOutput.ReadToEndAsync(CancellationToken.None)).Points : -1;
            var drainUntil = Stopwatch.StartNew();
            while (!ct.IsCancellationRequested && drainUntil.Elapsed < TimeSpan.FromSeconds(60) && (produced < 0 || analytics.Counters.PointsReceived < produced))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            }

            samples.Add(Sample(analytics, clock.Elapsed, null));
            await analytics.StopAsync(TimeSpan.FromSeconds(60));
            var summary = Summary(samples, faults, produced, analytics, soak, influxUrl);
            await WriteAsync(soak.Output, summary, CancellationToken.None);
            Console.WriteLine(JsonSerializer.Serialize(summary.Where(kv => kv.Key != "samples").ToDictionary(kv => kv.Key, kv => kv.Value), new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        finally
        {
            foreach (var child in children)
            {
                BenchProcesses.StopChild(child);
            }

            if (influx is not null)
            {
                await influx.DisposeAsync();
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

    private static Dictionary<string, object> Sample(AnalyticsService analytics, TimeSpan at, string? fault)
    {
        long lag = 0;
        try
        {
            lag = analytics.Source.GetLag().Where(l => l.Lag > 0).Sum(l => l.Lag);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            lag = -1; // the consumer is stopping
        }

        var sinks = analytics.Sinks;
        using var self = Process.GetCurrentProcess();
        return new Dictionary<string, object>
        {
            ["t_s"] = Math.Round(at.TotalSeconds, 1),
            ["fault"] = fault ?? string.Empty,
            ["rss_mb"] = Math.Round(self.WorkingSet64 / 1048576.0, 1),
            ["managed_heap_mb"] = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
            ["gc0"] = GC.CollectionCount(0),
            ["gc1"] = GC.CollectionCount(1),
            ["gc2"] = GC.CollectionCount(2),
            ["lag_messages"] = lag,
            ["points_received"] = analytics.Counters.PointsReceived,
            ["windows_closed"] = analytics.Counters.WindowsClosed,
            ["late_points"] = analytics.Counters.LatePoints,
            ["parse_errors"] = analytics.Counters.ParseErrors,
            ["series"] = analytics.Aggregator.SeriesCount,
            ["sink_buffered"] = sinks.Sum(s => s.Sink.Statistics.CurrentBuffered),
            ["sink_written"] = sinks.Sum(s => s.Sink.Statistics.ItemsWritten),
            ["sink_retries"] = sinks.Sum(s => s.Sink.Statistics.Retries),
            ["sink_dropped"] = sinks.Sum(s => s.Sink.Statistics.ItemsDropped),
            ["sink_dead_lettered"] = sinks.Sum(s => s.Sink.Statistics.ItemsDeadLettered),
            ["dead_letters"] = analytics.DeadLetters,
            ["offset_gaps"] = analytics.Source.OffsetGaps,
            ["backpressure_pauses"] = analytics.Source.BackpressurePauses,
        };
    }

    private static Dictionary<string, object> Summary(List<Dictionary<string, object>> samples, List<Dictionary<string, object>> faults, long? produced, AnalyticsService analytics, SoakSettings soak, string? influxUrl)
    {
        var rss = samples.Select(s => (double)s["rss_mb"]).ToList();
        return new Dictionary<string, object>
        {
            ["duration_s"] = soak.Duration.TotalSeconds,
            ["output"] = influxUrl is null ? "files" : "influxdb",
            ["services"] = soak.Services,
            ["instances_per_service"] = soak.Instances,
            ["speed"] = soak.Speed,
            ["rss_start_mb"] = rss.Count > 0 ? rss[0] : 0,
            ["rss_peak_mb"] = rss.Count > 0 ? rss.Max() : 0,
            ["rss_end_mb"] = rss.Count > 0 ? rss[^1] : 0,
            ["points_produced"] = produced ?? -1,
            ["points_received"] = analytics.Counters.PointsReceived,
            ["points_lost"] = produced is > 0 ? produced.Value - analytics.Counters.PointsReceived : -1,
            ["late_points"] = analytics.Counters.LatePoints,
            ["sink_dropped"] = analytics.Sinks.Sum(s => s.Sink.Statistics.ItemsDropped),
            ["gc2"] = GC.CollectionCount(2),
            ["faults"] = faults,
            ["samples"] = samples,
        };
    }

    private static async Task SetFaultAsync(string fault, bool start, Process broker, LocalInfluxd? influx)
    {
        if (fault == "broker_down")
        {
            await broker.StandardInput.WriteLineAsync(start ? "down" : "up");
            await broker.StandardInput.FlushAsync();
            return;
        }

        if (start)
        {
            await influx!.StopAsync();
        }
        else
        {
            await influx!.StartAgainAsync(CancellationToken.None);
        }
    }

    private static async Task WriteAsync(string path, Dictionary<string, object> summary, CancellationToken ct) =>
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }), ct);

    private sealed record SoakSettings(TimeSpan Duration, TimeSpan SampleInterval, TimeSpan FaultInterval, TimeSpan FaultLength, int Services, int Instances, double Speed, string Influxd, string Output);
}
