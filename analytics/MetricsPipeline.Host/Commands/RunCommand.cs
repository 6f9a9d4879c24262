using System.CommandLine;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Observability;
using MetricsPipeline.Kafka;
using MetricsPipeline.Sinks.InfluxDb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline run --config appsettings.json</c>: the analytics pipeline as a service against a real Kafka
/// and InfluxDB, configured by appsettings.json and environment variables; runs until SIGINT/SIGTERM, then stops
/// consuming, flushes every window and commits. Without <c>Kafka:BootstrapServers</c> it starts the embedded broker.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "appsettings.json with the Kafka, Analytics, InfluxDb, Output and Sink sections; environment variables (Kafka__BootstrapServers, …) override it." };
        var stateDir = new Option<string?>("--state-dir") { Description = "Checkpoint directory (overrides Analytics:State:Directory): per-partition checkpoints of the closed-through time, offsets and stage state; offsets are committed only with a checkpoint and a restart resumes from it. Off when neither is set." };
        var checkpointInterval = new Option<TimeSpan?>("--checkpoint-interval") { Description = "Least time between checkpoints (overrides Analytics:State:Interval; default 00:00:10)." };
        var command = new Command("run", "Run the analytics pipeline as a service (Kafka → windows → InfluxDB), configured by appsettings.json and environment variables.");
        command.Options.Add(config);
        var stateStore = new Option<string?>("--state-store") { Description = "Where checkpoints go (overrides Analytics:State:Store): directory (needs --state-dir; instances must share it) or kafka (the compacted topic <group>.state, for instances on different machines)." };
        command.Options.Add(stateDir);
        command.Options.Add(stateStore);
        command.Options.Add(checkpointInterval);
        command.SetAction(async (parse, ct) =>
        {
            PipelineSettings settings;
            IConfiguration configuration;
            var state = new CheckpointOptions();
            try
            {
                configuration = PipelineConfiguration.Load(parse.GetValue(config));
                settings = PipelineConfiguration.Bind(configuration);
                foreach (var warning in Forecasting.ForecastStages.Validate(configuration, settings))
                {
                    await Console.Error.WriteLineAsync($"warning: {warning}");
                }

                // The decision settings (Analytics:Scaling, :Alerts, :Cost) fail here like the others; before, a wrong
                // value was a stack trace after the host had started and a misspelt key was skipped.
                Stages.ScalingStageOptions scaling;
                try
                {
                    scaling = Stages.ScalingStageOptions.From(configuration);
                }
                catch (InvalidOperationException ex)
                {
                    throw new ArgumentException(ex.Message, ex);
                }

                if (scaling.Enabled)
                {
                    await using var check = new Stages.ScalingStage(scaling, settings, static (_, _, _) => { });
                }

                try
                {
                    configuration.GetSection("Analytics:State").Bind(state);
                }
                catch (InvalidOperationException ex)
                {
                    throw new ArgumentException($"Analytics:State: {ex.Message}", ex);
                }

                state.Directory = parse.GetValue(stateDir) ?? state.Directory;
                state.Store = parse.GetValue(stateStore) ?? state.Store;
                state.Interval = parse.GetValue(checkpointInterval) ?? state.Interval;
                state.Validate();
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"error: invalid configuration: {CliErrorText.Of(ex)}");
                return 2;
            }

            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(configuration);
            builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            using var host = builder.Build();
            var loggerFactory = host.Services.GetService(typeof(ILoggerFactory)) as ILoggerFactory ?? throw new InvalidOperationException("No logger factory.");
            var logger = loggerFactory.CreateLogger("MetricsPipeline.Run");

            EmbeddedKafkaBroker? broker = null;
            var bootstrap = settings.Kafka.BootstrapServers;
            if (settings.Kafka.UseEmbedded)
            {
                broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = settings.Kafka.EmbeddedPartitions });
                foreach (var topic in settings.Kafka.Topics.All())
                {
                    broker.CreateTopic(topic);
                }

                bootstrap = broker.BootstrapServers;
                Console.WriteLine($"bootstrap.servers={bootstrap}");
                logger.LogInformation("No Kafka:BootstrapServers configured: started the embedded broker at {Bootstrap}", bootstrap);
            }

            try
            {
                if (settings.InfluxDb is { EffectiveApiVersion: InfluxDbApiVersion.V1 } v1)
                {
                    var writer = new InfluxDbWriter(v1);
                    await writer.EnsureDatabaseAsync(ct);
                    await writer.EnsureRetentionPoliciesAsync(settings.RollupRetentionPolicies(), ct);
                }

                await host.StartAsync(ct);
                await using var analytics = AnalyticsService.Start(settings, bootstrap!, loggerFactory, configuration: configuration, state: state);
                logger.LogInformation("Consuming {Topic} as group {Group}", settings.Kafka.Topics.Metrics, settings.Kafka.GroupId);
                var listen = configuration["Host:Listen"] ?? "127.0.0.1:9464";
                await using var observability = string.IsNullOrWhiteSpace(listen) ? null : await ObservabilityServer.StartAsync(listen, analytics, logger, ct);
                var reporter = new TelemetryReporter(analytics, logger);
                try
                {
                    await Task.WhenAny(analytics.Completion, Task.Delay(Timeout.Infinite, ct));
                }
                catch (OperationCanceledException)
                {
                }

                logger.LogInformation("Stopping: flushing open windows and committing offsets");
                await reporter.DisposeAsync();
                await analytics.StopAsync(TimeSpan.FromSeconds(60));
                await host.StopAsync(CancellationToken.None);
                return analytics.Completion.IsCompletedSuccessfully ? 0 : 1;
            }
            finally
            {
                broker?.Dispose();
            }
        });
        return command;
    }
}
