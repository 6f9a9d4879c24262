using System.CommandLine;
using MetricsPipeline.Fleet;
using MetricsPipeline.Kafka;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline fleet</c>: the simulated fleet alone, publishing line protocol to a Kafka given by
/// <c>--bootstrap-servers</c>. Prints how many points it sent when it stops (after <c>--duration</c> or Ctrl+C).
/// </summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var fleetOptions = new FleetCliOptions();
        var bootstrap = new Option<string>("--bootstrap-servers") { Description = "Kafka bootstrap servers (HOST:PORT[,…]).", Required = true };
        var topic = new Option<string>("--topic") { Description = "Topic to publish to.", DefaultValueFactory = _ => new KafkaTopicOptions().Metrics };
        var command = new Command("fleet", "Run the simulated fleet alone and publish its metrics to Kafka.");
        fleetOptions.AddTo(command);
        command.Options.Add(bootstrap);
        command.Options.Add(topic);
        command.SetAction(async (parse, ct) =>
        {
            FleetOptions fleet;
            FleetRunOptions run;
            try
            {
                (fleet, run) = fleetOptions.Build(parse);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"error: {CliErrorText.Of(ex)}");
                return 2;
            }

            using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
            var producer = new KafkaLineProducer(
                new KafkaProducerOptions { BootstrapServers = parse.GetValue(bootstrap)!, Topic = parse.GetValue(topic)!, PartitionByTag = fleetOptions.RoutingTag(parse) },
                loggerFactory.CreateLogger<KafkaLineProducer>());
            await using (producer)
            {
                run.AfterInterval = async (progress, token) =>
                {
                    if (progress.Phase == FleetRunPhase.Live)
                    {
                        await producer.FlushAsync(token);
                    }
                };
                FleetRunStatistics stats;
                try
                {
                    stats = await new FleetRunner(new FleetSimulator(fleet)).RunAsync(run, producer.Append, ct);
                }
                finally
                {
                    await producer.FlushAsync(CancellationToken.None);
                }

                Console.WriteLine($"sent {producer.LinesSent} points in {producer.MessagesSent} messages ({stats.Intervals} intervals; {string.Join(", ", stats.LinesByMeasurement.Select(kv => $"{kv.Key} {kv.Value}"))}); delivery errors {producer.DeliveryErrors}");
                return producer.LinesFailed == 0 ? 0 : 1;
            }
        });
        return command;
    }
}
