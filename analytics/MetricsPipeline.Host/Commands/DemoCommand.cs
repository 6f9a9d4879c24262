using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using MetricsPipeline.Fleet;
using MetricsPipeline.Host.ConsoleView;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using MetricsPipeline.HttpWrite;
using MetricsPipeline.Host.Observability;
using MetricsPipeline.Kafka;
using MetricsPipeline.Scraper;
using MetricsPipeline.Sinks.InfluxDb;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline demo</c>: the whole pipeline on one machine with nothing set up — the embedded Kafka broker,
/// the simulated fleet, the window analytics, and InfluxDB (<c>--influx-url</c>) or line-protocol files (<c>--out</c>).
/// Runs for <c>--duration</c> or until Ctrl+C, then flushes everything and exits 0.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var fleetOptions = new FleetCliOptions();
        var influxOptions = new InfluxCliOptions();
        var outDir = new Option<string>("--out") { Description = "Directory for line-protocol output when no --influx-url is given.", DefaultValueFactory = _ => "out" };
        var historyDir = new Option<string?>("--history-dir") { Description = "Directory for the Arrow window history that retrain reads, with either output (default: {--out}/history)." };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the embedded broker's topics.", DefaultValueFactory = _ => 12 };
        var summary = new Option<string?>("--summary-json") { Description = "Also write the final summary to this JSON file." };
        var metricsListen = new Option<string?>("--metrics-listen") { Description = "host:port for /metrics, /healthz and /readyz (empty: off).", DefaultValueFactory = _ => "127.0.0.1:9464" };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Minimum level of log messages (to stderr).", DefaultValueFactory = _ => LogLevel.Warning };
        var httpListen = new Option<string?>("--http-listen") { Description = "Also accept InfluxDB writes (/write, /api/v2/write) on this address, e.g. 127.0.0.1:8186." };
        var scrape = new Option<string[]>("--scrape") { Description = "Also scrape this Prometheus endpoint every 15 s; repeatable." };

        var command = new Command("demo", "Run the whole pipeline on the embedded broker with a simulated fleet: Kafka → windows with percentiles → InfluxDB or files.");
        fleetOptions.AddTo(command);
        influxOptions.AddTo(command);
        command.Options.Add(outDir);
        command.Options.Add(partitions);
        command.Options.Add(summary);
        command.Options.Add(logLevel);
        command.Options.Add(httpListen);
        command.Options.Add(historyDir);
        command.Options.Add(scrape);
        command.Options.Add(metricsListen);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var (fleet, run) = fleetOptions.Build(parse);
                var influx = influxOptions.Build(parse);
                var settings = new PipelineSettings
                {
                    InfluxDb = influx,
                    OutputDirectory = influx is null ? parse.GetValue(outDir) : null,
                    HistoryDirectory = parse.GetValue(historyDir) is { Length: > 0 } history ? history : Path.Combine(parse.GetValue(outDir)!, "history"),
                };
                settings.Kafka.EmbeddedPartitions = parse.GetValue(partitions);
                // A partition that stays empty (a small fleet on many partitions) holds the watermark back until it is
                // idle for this long in processing time; faster-than-real-time runs shorten it in proportion, down to 5 s.
                settings.Windows.IdleTimeout = TimeSpan.FromSeconds(Math.Max(5, settings.Windows.IdleTimeout.TotalSeconds / Math.Max(1, run.Speed)));
                settings.Validate();
                var ingest = new DemoIngest(parse.GetValue(httpListen), [.. (parse.GetValue(scrape) ?? []).Select(u => new Uri(u))]);
                return await RunAsync(settings, fleet, run, parse.GetValue(summary), parse.GetValue(logLevel), parse.GetValue(metricsListen), ct, ingest, fleetOptions.RoutingTag(parse));
            }
            catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException)
            {
                await Console.Error.WriteLineAsync($"error: {CliErrorText.Of(ex)}");
                return 2;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(PipelineSettings settings, FleetOptions fleetOptions, FleetRunOptions runOptions, string? summaryPath, LogLevel logLevel, string? metricsListen, CancellationToken ct, DemoIngest ingest, string? partitionByTag)
    {
        using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(logLevel));
        var stopwatch = Stopwatch.StartNew();

        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = settings.Kafka.EmbeddedPartitions });
        foreach (var topic in settings.Kafka.Topics.All())
        {
            broker.CreateTopic(topic);
        }

        Console.WriteLine($"embedded Kafka broker: bootstrap.servers={broker.BootstrapServers} ({settings.Kafka.EmbeddedPartitions} partitions per topic)");
        Console.WriteLine(settings.InfluxDb is { } influx
            ? $"output: InfluxDB {influx.Url} ({influx.EffectiveApiVersion})"
            : $"output: line-protocol files under {Path.GetFullPath(settings.OutputDirectory!)}");
        Console.WriteLine($"window history (Arrow, for retrain): {Path.GetFullPath(settings.HistoryDirectory!)}");

        if (settings.InfluxDb is { EffectiveApiVersion: InfluxDbApiVersion.V1 } v1)
        {
            await new InfluxDbWriter(v1).EnsureDatabaseAsync(ct);
        }

        await using var analytics = AnalyticsService.Start(settings, broker.BootstrapServers, loggerFactory);
        var observabilityLogger = loggerFactory.CreateLogger("MetricsPipeline.Observability");
        await using var observability = string.IsNullOrWhiteSpace(metricsListen) ? null : await ObservabilityServer.StartAsync(metricsListen, analytics, observabilityLogger, ct);
        var reporter = new TelemetryReporter(analytics, observabilityLogger);
        var board = new LatencyBoard();
        using var boardSubscription = analytics.Windows.Subscribe(b => board.Observe(b, settings.Windows.Quantiles), _ => { });

        var producer = new KafkaLineProducer(
            new KafkaProducerOptions { BootstrapServers = broker.BootstrapServers, Topic = settings.Kafka.Topics.Metrics, PartitionByTag = partitionByTag },
            loggerFactory.CreateLogger<KafkaLineProducer>());
        var simulator = new FleetSimulator(fleetOptions);

        // Close the loop: the reference consumer applies the decision stage's commands to the simulated fleet.
        var scaling = ScalingCommandConsumer.Start(broker.BootstrapServers, settings.Kafka.Topics.ScalingCommands, embedded: true,
            new ScalingCommandApplier(new ScalingFleetTarget(simulator), TimeProvider.System), loggerFactory.CreateLogger<ScalingCommandConsumer>());
        var progress = new LatestProgress();
        runOptions.Progress = progress;
        runOptions.ProgressEvery = 1;

        using var stopFleet = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stopView = new CancellationTokenSource();
        var view = LiveView.RunAsync(() => Snapshot(stopwatch, progress, producer, analytics, board), stopView.Token);

        // Points posted to --http-listen or scraped from --scrape go into the same producer as the fleet's.
        await using var deadLetterProducer = new KafkaMessageProducer(new KafkaProducerOptions { BootstrapServers = broker.BootstrapServers });
        var http = ingest.HttpListen is null ? null : await HttpWriteServer.StartAsync(
            new HttpWriteOptions { Listen = ingest.HttpListen }, new KafkaLineTarget(producer), new KafkaDeadLetterSink(deadLetterProducer, settings.Kafka.Topics.DeadLetter), loggerFactory, cancellationToken: ct);
        var scrapeOptions = new PrometheusScrapeOptions();
        ingest.Scrape.ToList().ForEach(scrapeOptions.Targets.Add);
        var scraper = new PrometheusScrapeSource(scrapeOptions, producer.Append, logger: loggerFactory.CreateLogger<PrometheusScrapeSource>());
        scraper.Start();
        if (http is not null)
        {
            Console.WriteLine($"InfluxDB write endpoint: {http.Address}write?db=demo and {http.Address}api/v2/write?bucket=demo");
        }

        FleetRunStatistics stats;
        try
        {
            stats = await new FleetRunner(simulator).RunAsync(runOptions, producer.Append, stopFleet.Token);
        }
        finally
        {
            await scraper.DisposeAsync();
            if (http is not null)
            {
                await http.DisposeAsync();
            }

            await producer.FlushAsync(CancellationToken.None);
        }

        // Let the analytics stage read everything the fleet produced before closing the windows. The last records can
        // wait in the source long after the fleet stopped: one pipeline thread works through the backlog of history
        // windows (the sinks' backpressure, the stages), so a fixed deadline gave up on a loaded machine while writes
        // still progressed (a run: 24 live points unread after 2 minutes). Give up only after a minute without progress
        // (a running stage counts as progress: over ten days of history one batch kept it busy for ~25 s at load 11).
        progress.Phase = "draining";
        var last = -1L;
        var stalled = Stopwatch.StartNew();
        while (Consumed(analytics) < producer.LinesSent && stalled.Elapsed < DrainStallTimeout)
        {
            var now = analytics.ProgressMark();
            if (now != last)
            {
                last = now;
                stalled.Restart();
            }

            await Task.Delay(50, CancellationToken.None);
        }

        progress.Phase = "flushing";
        await reporter.DisposeAsync();
        await analytics.StopAsync(DrainStallTimeout, () => Consumed(analytics));
        await producer.DisposeAsync();
        var published = analytics.Stages.OfType<ScalingStage>().Sum(stage => stage.CommandsPublished);
        var scalingDeadline = Stopwatch.StartNew();
        while (scaling.Received < published && scalingDeadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, CancellationToken.None);
        }

        await scaling.DisposeAsync();
        progress.Phase = "done";
        await stopView.CancelAsync();
        await view;

        var result = DemoSummary.From(stats, producer, analytics, stopwatch.Elapsed) with
        {
            ScalingCommandsPublished = published,
            ScalingCommands = scaling.Applied,
            ScalingCommandsReceived = scaling.Received,
            ScalingCommandOutcomes = ScalingOutcomeNames(scaling),
        };
        result.Print(Console.Out);
        if (summaryPath is not null)
        {
            await result.WriteJsonAsync(summaryPath);
        }

        var complete = Consumed(analytics) >= producer.LinesSent && analytics.Completion.IsCompletedSuccessfully;
        if (!complete)
        {
            await Console.Error.WriteLineAsync("error: the pipeline did not process everything the fleet produced (see the summary above).");
        }

        return complete ? 0 : 1;
    }

    /// <summary>How long the drain and the stop wait without progress (see <see cref="AnalyticsService.ProgressMark"/>).</summary>
    private static readonly TimeSpan DrainStallTimeout = TimeSpan.FromMinutes(1);


    /// <summary>The consumer's outcome counts under their summary names (snake case), then <c>malformed</c>.</summary>
    private static Dictionary<string, long> ScalingOutcomeNames(ScalingCommandConsumer scaling)
    {
        var names = scaling.Outcomes.ToDictionary(kv => JsonNamingPolicy.SnakeCaseLower.ConvertName(kv.Key.ToString()), kv => kv.Value);
        names["malformed"] = scaling.Malformed;
        return names;
    }

    private static long Consumed(AnalyticsService analytics) =>
        analytics.Counters.PointsReceived + analytics.Counters.ParseErrors + analytics.Counters.SeriesRejected;

    private static PipelineSnapshot Snapshot(Stopwatch stopwatch, LatestProgress progress, KafkaLineProducer producer, AnalyticsService analytics, LatencyBoard board)
    {
        var c = analytics.Counters;
        return new PipelineSnapshot(
            stopwatch.Elapsed,
            progress.Phase,
            progress.Latest is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p.IntervalStartNs / 1_000_000) : null,
            producer.LinesSent,
            c.PointsReceived,
            c.ValuesAggregated,
            c.WindowsClosed,
            analytics.Sinks.Select(s => (s.Name, s.Sink.Statistics.ItemsWritten, s.Sink.Statistics.CurrentBuffered, s.Sink.Statistics.Retries, s.Sink.Statistics.ItemsDeadLettered)).ToList(),
            c.ParseErrors,
            analytics.DeadLetters,
            c.LatePoints,
            analytics.Source.OffsetGaps,
            c.SeriesRejected,
            analytics.Aggregator.SeriesCount,
            board.Rows);
    }

    private sealed class LatestProgress : IProgress<FleetProgress>
    {
        private readonly Lock _gate = new();
        private FleetProgress? _latest;

        public FleetProgress? Latest
        {
            get
            {
                lock (_gate)
                {
                    return _latest;
                }
            }
        }

        public string Phase { get; set; } = "starting";

        public void Report(FleetProgress value)
        {
            lock (_gate)
            {
                _latest = value;
            }

            Phase = value.Phase == FleetRunPhase.Backfill ? "backfill" : "live";
        }
    }

    /// <summary>The demo's extra ingest paths: the HTTP write endpoint address and the scrape targets.</summary>
    private sealed record DemoIngest(string? HttpListen, IReadOnlyList<Uri> Scrape);
}
