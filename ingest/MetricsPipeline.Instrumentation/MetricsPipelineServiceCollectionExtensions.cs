using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetricsPipeline.Instrumentation;

/// <summary>One-line setup: <c>services.AddMetricsPipelineExporter(o => o.BootstrapServers = "kafka:9092")</c>.</summary>
public static class MetricsPipelineServiceCollectionExtensions
{
    /// <summary>Exports every meter's instruments to Kafka at <paramref name="bootstrapServers"/> (topic <c>metrics</c>).</summary>
    public static IServiceCollection AddMetricsPipelineExporter(this IServiceCollection services, string bootstrapServers) =>
        services.AddMetricsPipelineExporter(o => o.BootstrapServers = bootstrapServers);

    /// <summary>
    /// Registers the exporter as a hosted service configured by <paramref name="configure"/> (and by any
    /// <c>services.Configure&lt;MetricsPipelineExporterOptions&gt;</c>, e.g. bound from configuration).
    /// </summary>
    public static IServiceCollection AddMetricsPipelineExporter(this IServiceCollection services, Action<MetricsPipelineExporterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MetricsPipelineExporterOptions>().Configure(configure);
        services.AddSingleton<MetricsPipelineExporterService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MetricsPipelineExporterService>());
        return services;
    }
}
