using System.CommandLine;
using MetricsPipeline.Agent;
using MetricsPipeline.Agent.Collectd;
using MetricsPipeline.Kafka;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline agent</c>: the host agent. Every interval it reads /proc and /sys (unprivileged), buffers the
/// lines on disk (bounded) and sends them to Kafka, one message per batch keyed by host, oldest first after an
/// outage. Runs until SIGINT/SIGTERM; unsent batches stay on disk for the next run.
/// </summary>
internal static class AgentCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap-servers") { Description = "Kafka bootstrap servers.", DefaultValueFactory = _ => "localhost:9092" };
        var topic = new Option<string>("--topic") { Description = "Topic to write line protocol to.", DefaultValueFactory = _ => "metrics" };
        var interval = new Option<double>("--interval") { Description = "Seconds between collections.", DefaultValueFactory = _ => 10 };
        var processes = new Option<string[]>("--process") { Description = "Process name (as in /proc/PID/comm) to report per-process metrics for; repeatable.", AllowMultipleArgumentsPerToken = false };
        var bufferDir = new Option<string>("--buffer-dir") { Description = "Directory of the on-disk buffer.", DefaultValueFactory = _ => "agent-buffer" };
        var bufferMb = new Option<int>("--max-buffer-mb") { Description = "Bound of the on-disk buffer in MiB (oldest batches are dropped beyond it).", DefaultValueFactory = _ => 64 };
        var host = new Option<string>("--host") { Description = "Value of the host tag.", DefaultValueFactory = _ => Environment.MachineName };
        var root = new Option<string>("--root") { Description = "Root under which proc/ and sys/ are read (e.g. /host in a container).", DefaultValueFactory = _ => "/" };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Minimum level of log messages (to stderr).", DefaultValueFactory = _ => LogLevel.Warning };
        var command = new Command("agent", "Collect host metrics from /proc and /sys every interval and send them to Kafka (buffered on disk while Kafka is unreachable).");
        foreach (var option in new Option[] { bootstrap, topic, interval, processes, bufferDir, bufferMb, host, root, logLevel })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            // Before anything else: on success this replaces the process with a tuned copy of itself.
            AgentProcessTuning.ReexecuteIfNeeded();
            var options = new HostAgentOptions
            {
                Interval = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(interval))),
                BufferDirectory = parse.GetValue(bufferDir)!,
                MaxBufferBytes = Math.Max(1, parse.GetValue(bufferMb)) * 1024L * 1024,
                HostName = parse.GetValue(host)!,
                Root = parse.GetValue(root)!,
            };
            foreach (var name in parse.GetValue(processes) ?? [])
            {
                options.Processes.Add(name);
            }

            var minimumLevel = parse.GetValue(logLevel);
            var producerOptions = new KafkaProducerOptions { BootstrapServers = parse.GetValue(bootstrap)!, Topic = parse.GetValue(topic)! };

            // A short delivery timeout turns an outage into a failed send within seconds, so batches wait on disk
            // (bounded) instead of in librdkafka's memory for its default 5 minutes. The agent sends one batch
            // (at most 256 KiB) at a time, so librdkafka's queue never needs more than a few MiB.
            producerOptions.Settings["message.timeout.ms"] = "10000";
            producerOptions.Settings["queue.buffering.max.kbytes"] = "4096";
            producerOptions.Settings["queue.buffering.max.messages"] = "1000";
            await using var producer = new KafkaMessageProducer(producerOptions, new StandardErrorLogger<KafkaMessageProducer>(minimumLevel));
            await using var agent = new HostAgent(options, new KafkaBatchSender(producer, producerOptions.Topic, options.HostName), logger: new StandardErrorLogger<HostAgent>(minimumLevel));
            agent.Start();
            Console.WriteLine($"agent: every {options.Interval.TotalSeconds:0.###} s to {producerOptions.BootstrapServers}/{producerOptions.Topic}, buffer {options.BufferDirectory} (max {options.MaxBufferBytes / 1024 / 1024} MiB){(AgentProcessTuning.IsTuned ? ", memory-tuned" : string.Empty)}. Ctrl+C stops.");
            try
            {
                // Start-up (JIT, first collections, the Kafka connection) is over after a few intervals; trim then,
                // and every sixth interval afterwards (a GC of the agent's small heap and malloc_trim cost about a
                // millisecond).
                for (var tick = 1L; ; tick++)
                {
                    await Task.Delay(options.Interval, ct);
                    if (tick <= 3 || tick % 6 == 0)
                    {
                        AgentProcessTuning.Trim();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // SIGINT/SIGTERM: a normal stop.
            }

            Console.WriteLine($"agent: {agent.LinesCollected} lines collected, {agent.BatchesSent} batches sent, {agent.Buffer.Count} left on disk, {agent.Buffer.Dropped} dropped.");
            return 0;
        });
        command.Subcommands.Add(CreateCollectdBridge());
        return command;
    }

    /// <summary>
    /// <c>metrics-pipeline agent collectd-bridge</c>: consumes collectd's <c>write_kafka</c> JSON from a topic and
    /// produces line protocol to the metrics topic (unreadable records go to the dead-letter topic).
    /// </summary>
    private static Command CreateCollectdBridge()
    {
        var bootstrap = new Option<string>("--bootstrap-servers") { Description = "Kafka bootstrap servers.", DefaultValueFactory = _ => "localhost:9092" };
        var from = new Option<string>("--from") { Description = "Topic collectd's write_kafka writes JSON to.", DefaultValueFactory = _ => "collectd" };
        var to = new Option<string>("--to") { Description = "Topic to write line protocol to.", DefaultValueFactory = _ => "metrics" };
        var command = new Command("collectd-bridge", "Convert collectd's write_kafka JSON into line protocol on the metrics topic.");
        command.Options.Add(bootstrap);
        command.Options.Add(from);
        command.Options.Add(to);
        command.SetAction(async (parse, ct) =>
        {
            var servers = parse.GetValue(bootstrap)!;
            await using var source = new KafkaSource(new KafkaSourceOptions { BootstrapServers = servers, Topic = parse.GetValue(from)!, GroupId = "metrics-pipeline-collectd-bridge" });
            await using var producer = new KafkaLineProducer(new KafkaProducerOptions { BootstrapServers = servers, Topic = parse.GetValue(to)! });
            await using var messages = new KafkaMessageProducer(new KafkaProducerOptions { BootstrapServers = servers });
            var bridge = new CollectdBridge(source, producer, new KafkaDeadLetterSink(messages));
            Console.WriteLine($"collectd bridge: {parse.GetValue(from)} → {parse.GetValue(to)} on {servers}. Ctrl+C stops.");
            await bridge.RunAsync(ct);
            Console.WriteLine($"collectd bridge: {bridge.LinesProduced} lines produced, {bridge.RecordsRejected} records rejected.");
            return 0;
        });
        return command;
    }
}
