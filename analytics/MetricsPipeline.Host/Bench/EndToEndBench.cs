using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using MetricsPipeline.Fleet;
using MetricsPipeline.Host.Commands;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Kafka;
using MetricsPipeline.Kafka.Native;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Host.Bench;

/// <summary>
/// <c>metrics-pipeline bench e2e</c>: the skeleton end to end on the embedded broker. Each round backfills a larger
/// simulated fleet into a fresh broker, then drains the same topic twice — once with the whole analytics pipeline
/// (windows, percentiles, line-protocol files, offsets acknowledged) and once with a bare Confluent consumer that
/// only counts lines — in alternating order, and reports medians and the paired ratio.
/// </summary>
internal static class EndToEndBench
{
    public static Command CreateCommand()
    {
        var services = new Option<int>("--services") { Description = "Simulated services.", DefaultValueFactory = _ => 25 };
        var instances = new Option<int>("--instances") { Description = "Instances per service.", DefaultValueFactory = _ => 8 };
        var samples = new Option<int>("--latency-samples") { Description = "Latency samples per instance per interval.", DefaultValueFactory = _ => 20 };
        var history = new Option<string>("--history") { Description = "Event time produced per round (the embedded broker keeps ~5 MB per partition: keep the volume below that).", DefaultValueFactory = _ => "30m" };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the metrics topic.", DefaultValueFactory = _ => 12 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (each: produce, then pipeline and bare consumer in alternating order).", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--output") { Description = "JSON results file.", DefaultValueFactory = _ => "e2e.json" };
        var command = new Command("e2e", "Skeleton end to end on the embedded broker: pipeline points/s against a bare consumer draining the same topic.");
        foreach (var option in new Option[] { services, instances, samples, history, partitions, rounds, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(history), out var span) || parse.GetValue(rounds) < 1)
            {
                await Console.Error.WriteLineAsync("error: --history must be a duration (e.g. 30m) and --rounds at least 1.");
                return 2;
            }

            if (!BenchOutput.CanWrite(parse.GetValue(output)))
            {
                return 2;
            }

            var count = parse.GetValue(services);
            var options = new FleetOptions { Services = FleetCliOptions.ServiceProfiles(count), InstancesPerService = parse.GetValue(instances), LatencySamplesPerInterval = parse.GetValue(samples) };
            options.Validate();
            var results = new List<Round>();
            for (var r = 0; r < parse.GetValue(rounds); r++)
            {
                var round = await RunRoundAsync(options, span, parse.GetValue(partitions), pipelineFirst: r % 2 == 0, ct);
                results.Add(round);
                Console.Error.WriteLine($"round {r + 1}: produced {round.Points:N0} points at {round.ProducePointsPerSecond:N0}/s; pipeline {round.PipelinePointsPerSecond:N0}/s; bare consumer {round.BarePointsPerSecond:N0}/s; ratio {round.Ratio:F3}; gaps {round.OffsetGaps}");
            }

            var json = new Dictionary<string, object>
            {
                ["points_per_second"] = BenchStatistics.Median(results.Select(x => x.PipelinePointsPerSecond)),
                ["bare_consumer_points_per_second"] = BenchStatistics.Median(results.Select(x => x.BarePointsPerSecond)),
                ["ratio_to_bare_consumer"] = BenchStatistics.Median(results.Select(x => x.Ratio)),
                ["produce_points_per_second"] = BenchStatistics.Median(results.Select(x => x.ProducePointsPerSecond)),
                ["points_per_round"] = results[0].Points,
                ["series"] = count * options.InstancesPerService * 2,
                ["offset_gaps"] = results.Sum(x => x.OffsetGaps),
                ["processor_count"] = Environment.ProcessorCount,
                ["rounds"] = results.Select(x => new Dictionary<string, object>
                {
                    ["order"] = x.PipelineFirst ? "pipeline,bare" : "bare,pipeline",
                    ["points"] = x.Points,
                    ["produce_points_per_second"] = x.ProducePointsPerSecond,
                    ["pipeline_points_per_second"] = x.PipelinePointsPerSecond,
                    ["bare_consumer_points_per_second"] = x.BarePointsPerSecond,
                    ["ratio"] = x.Ratio,
                    ["windows_closed"] = x.Windows,
                    ["offset_gaps"] = x.OffsetGaps,
                }).ToList(),
            };
            var path = parse.GetValue(output)!;
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }), ct);
            Console.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }

    private sealed record Round(bool PipelineFirst, long Points, double ProducePointsPerSecond, double PipelinePointsPerSecond, double BarePointsPerSecond, long Windows, long OffsetGaps)
    {
        public double Ratio => PipelinePointsPerSecond / BarePointsPerSecond;
    }

    private static async Task<Round> RunRoundAsync(FleetOptions fleet, TimeSpan history, int partitions, bool pipelineFirst, CancellationToken ct)
    {
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = partitions });
        var topics = new KafkaTopicOptions();
        foreach (var topic in topics.All())
        {
            broker.CreateTopic(topic);
        }

        long points;
        double produceRate;
        var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = broker.BootstrapServers, Topic = topics.Metrics });
        await using (producer)
        {
            var sw = Stopwatch.StartNew();
            await new FleetRunner(new FleetSimulator(fleet)).RunAsync(new FleetRunOptions { History = history, Duration = TimeSpan.Zero }, producer.Append, ct);
            await producer.FlushAsync(ct);
            points = producer.LinesSent;
            produceRate = points / sw.Elapsed.TotalSeconds;
        }

        double pipelineRate = 0, bareRate = 0;
        long windows = 0, gaps = 0;
        for (var step = 0; step < 2; step++)
        {
            if ((step == 0) == pipelineFirst)
            {
                (pipelineRate, windows, gaps) = await RunPipelineAsync(broker.BootstrapServers, points, ct);
            }
            else
            {
                bareRate = RunBareConsumer(broker.BootstrapServers, topics.Metrics, points, ct);
            }
        }

        return new Round(pipelineFirst, points, produceRate, pipelineRate, bareRate, windows, gaps);
    }

    private static async Task<(double Rate, long Windows, long Gaps)> RunPipelineAsync(string bootstrap, long points, CancellationToken ct)
    {
        var output = Path.Combine(Path.GetTempPath(), $"mp-bench-{Guid.NewGuid():N}");
        var settings = new PipelineSettings { OutputDirectory = output };
        settings.Kafka.GroupId = "bench-pipeline-" + Guid.NewGuid().ToString("N");
        try
        {
            var sw = Stopwatch.StartNew();
            await using var analytics = AnalyticsService.Start(settings, bootstrap, NullLoggerFactory.Instance);
            // The clock starts at the first message, so the consumer group's join (a fixed cost, and slow on the
            // mock cluster) is left out for the pipeline exactly as for the bare consumer.
            while (analytics.Counters.MessagesReceived == 0 && sw.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(1, ct);
            }

            var start = sw.Elapsed;
            var end = TimeSpan.Zero;
            var completed = analytics.Completion.ContinueWith(_ => end = sw.Elapsed, TaskScheduler.Default);
            while (analytics.Counters.PointsReceived + analytics.Counters.ParseErrors < points && sw.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(1, ct);
            }

            // Stop includes closing every open window and waiting for the sink's acknowledgement; the clock stops
            // there, before the consumer leaves the group.
            await analytics.StopAsync(TimeSpan.FromMinutes(2));
            await completed;
            var elapsed = (end - start).TotalSeconds;
            return (analytics.Counters.PointsReceived / elapsed, analytics.Counters.WindowsClosed, analytics.Source.OffsetGaps);
        }
        finally
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    // The reference: librdkafka's consumer fetching the same messages and counting lines, nothing else.
    private static double RunBareConsumer(string bootstrap, string topic, long points, CancellationToken ct)
    {
        LibrdkafkaLoader.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-bare-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 3000,
            HeartbeatIntervalMs = 500,
        };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Subscribe(topic);
        var sw = Stopwatch.StartNew();
        var start = TimeSpan.MinValue;
        long lines = 0;
        while (lines < points && sw.Elapsed < TimeSpan.FromMinutes(5) && !ct.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message?.Value is { } value)
            {
                if (start == TimeSpan.MinValue)
                {
                    start = sw.Elapsed;
                }

                lines += value.AsSpan().Count((byte)'\n');
            }
        }

        var elapsed = (sw.Elapsed - start).TotalSeconds;
        consumer.Close();
        return lines / elapsed;
    }
}
