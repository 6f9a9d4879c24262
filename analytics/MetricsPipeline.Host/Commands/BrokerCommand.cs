using System.CommandLine;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline broker [--partitions N] [--brokers N]</c>: runs the embedded Kafka-protocol broker (librdkafka's
/// mock cluster) with the pipeline's topics until SIGINT/SIGTERM. The first stdout line is
/// <c>bootstrap.servers=HOST:PORT[,...]</c>, so scripts can read the address; the mock keeps only about 5 MB per
/// partition and nothing on disk, so it is for demos and tests, not production.
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
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT/SIGTERM: a normal stop.
            }

            return 0;
        });
        return command;
    }
}
