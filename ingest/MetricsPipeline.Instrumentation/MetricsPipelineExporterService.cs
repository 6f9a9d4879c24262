using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetricsPipeline.Instrumentation;

/// <summary>Runs the <see cref="MetricsPipelineExporter"/> for the lifetime of the host. Start and stop never throw.</summary>
internal sealed class MetricsPipelineExporterService(IOptions<MetricsPipelineExporterOptions> options, ILogger<MetricsPipelineExporter> logger, TimeProvider? timeProvider = null)
    : IHostedService, IAsyncDisposable
{
    private MetricsPipelineExporter? exporter;

    public MetricsPipelineExporter? Exporter => exporter;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            exporter = new MetricsPipelineExporter(options.Value, timeProvider, logger);
            exporter.Start();
        }
#pragma warning disable CA1031 // A metrics exporter must never stop the application from starting.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "The MetricsPipeline exporter could not start; the application runs without it.");
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (exporter is not null)
        {
            await exporter.DisposeAsync().ConfigureAwait(false);
        }
    }
}
