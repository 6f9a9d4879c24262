using System.CommandLine;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline broker [--partitions N] [--brokers N]</c>: runs the embedded Kafka-protocol broker (librdkafka's
/// mock cluster) with the pipeline's topics until SIGINT/SIGTERM. The first stdout line is
/// <c>bootstrap.servers=HOST:PORT[,...]</c>, so scripts can read the address; the mock keeps only about 5 MB per
/// partition and nothing on disk, so it is for demos and tests, not production.
/// Fault injection: a line <c>down [ID]</c> or <c>up [ID]</c> on stdin takes mock broker ID (default: every broker)
/// down or up while keeping its data (a restart of the mock would lose it); each change is acknowledged on stdout
/// as <c>broker ID down</c> / <c>broker ID up</c>, an unknown line with <c>error: ...</c>.
/// </summary>
internal static class BrokerCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var partitions = new Option<int>("--partitions")
        {
            Description = "Partitions of each default topic.",
            DefaultValueFactory = _ => 12,
        };
        var brokers = new Option<int>("--brokers")
        {
            Description = "Number of mock brokers.",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("broker", "Run an embedded Kafka-protocol broker (librdkafka mock cluster) with the pipeline's topics.");
        command.Options.Add(partitions);
        command.Options.Add(brokers);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var partitionCount = parseResult.GetValue(partitions);
            var brokerCount = parseResult.GetValue(brokers);
            if (partitionCount < 1 || brokerCount < 1)
            {
                await Console.Error.WriteLineAsync("--partitions and --brokers must be at least 1.").ConfigureAwait(false);
                return 2;
            }

            var options = new EmbeddedKafkaBrokerOptions { Brokers = brokerCount, DefaultPartitions = partitionCount };
            var topics = new KafkaTopicOptions().All();
            foreach (var topic in topics)
            {
                options.Topics.Add(topic);
            }

            using var broker = EmbeddedKafkaBroker.Start(options);
            Console.Out.WriteLine("bootstrap.servers=" + broker.BootstrapServers);
            Console.Out.Flush();
            Console.Out.WriteLine(
                $"Embedded Kafka broker ({brokerCount} mock broker(s)) with topics {string.Join(", ", topics)} ({partitionCount} partitions each). In memory, about 5 MB kept per partition. Ctrl+C stops it.");
            Console.Out.Flush();
            // stdin is read beside the wait, not before it: a console read cannot be cancelled (ReadLineAsync checks the
            // token only before it blocks), so with a stdin that stays open (a pipe from a supervisor or a test) SIGTERM
            // did not stop the broker until the host's termination timeout killed it.
            var control = Task.Run(() => ReadControlLinesAsync(broker, cancellationToken), CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT/SIGTERM: a normal stop.
            }

            // A reader still blocked in a read is left behind (the process is ending); one that failed says why.
            if (control.IsFaulted)
            {
                await Console.Error.WriteLineAsync("error: reading control lines from stdin failed: " + control.Exception.GetBaseException().Message).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Applies <c>down</c>/<c>up</c> lines from stdin until it ends (then the broker just keeps running) or the broker
    /// stops; a line that arrives after the stop is not applied.
    /// </summary>
    private static async Task ReadControlLinesAsync(EmbeddedKafkaBroker broker, CancellationToken cancellationToken)
    {
        try
        {
            while (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line && !cancellationToken.IsCancellationRequested)
            {
                Console.Out.WriteLine(ApplyControlLine(broker, line));
                Console.Out.Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before a line came.
        }
    }

    /// <summary>Executes one control line and returns the acknowledgement to print.</summary>
    internal static string ApplyControlLine(EmbeddedKafkaBroker broker, string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || parts[0] is not ("down" or "up"))
        {
            return $"error: unknown control line '{line}' (expected 'down [ID]' or 'up [ID]')";
        }

        var ids = Enumerable.Range(1, broker.BrokerCount).ToList();
        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id < 1 || id > broker.BrokerCount)
            {
                return $"error: broker id '{parts[1]}' is not between 1 and {broker.BrokerCount}";
            }

            ids = [id];
        }

        var up = parts[0] == "up";
        foreach (var id in ids)
        {
            if (up)
            {
                broker.SetBrokerUp(id);
            }
            else
            {
                broker.SetBrokerDown(id);
            }
        }

        return string.Join('\n', ids.Select(id => $"broker {id} {parts[0]}"));
    }
}
