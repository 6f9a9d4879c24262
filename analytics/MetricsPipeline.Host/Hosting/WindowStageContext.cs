using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Hosting;

/// <summary>What a window stage may need when it is created: settings, configuration, logging, Kafka, the clock.</summary>
/// <param name="Settings">The pipeline settings.</param>
/// <param name="Configuration">The full configuration (stages bind their own sections), or <c>null</c> in <c>demo</c>.</param>
/// <param name="BootstrapServers">Kafka bootstrap servers, for stages that publish (alerts, commands).</param>
/// <param name="LoggerFactory">Logging.</param>
/// <param name="Time">The clock.</param>
public sealed record WindowStageContext(
    PipelineSettings Settings,
    IConfiguration? Configuration,
    string BootstrapServers,
    ILoggerFactory LoggerFactory,
    TimeProvider Time);
