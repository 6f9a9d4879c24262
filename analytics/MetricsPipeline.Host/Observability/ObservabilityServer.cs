using System.Net;
using MetricsPipeline.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Observability;

/// <summary>
/// Kestrel on one endpoint serving <c>/healthz</c> (liveness: the process answers and the pipeline has not faulted),
/// <c>/readyz</c> (the consumer holds an assignment and the pipeline runs) and <c>/metrics</c> (Prometheus text).
/// </summary>
public sealed class ObservabilityServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private ObservabilityServer(WebApplication app, IPEndPoint endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The endpoint the server listens on.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>
    /// Starts the server on <paramref name="listen"/> (<c>host:port</c>, e.g. <c>127.0.0.1:9464</c>; port 0 picks a
    /// free one). Returns null, after logging why, when the endpoint cannot be bound: telemetry is not worth failing
    /// the pipeline for.
    /// </summary>
    public static async Task<ObservabilityServer?> StartAsync(string listen, AnalyticsService analytics, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(analytics);
        ArgumentNullException.ThrowIfNull(logger);
        if (!IPEndPoint.TryParse(listen, out var endpoint))
        {
            logger.LogWarning("Metrics endpoint {Listen} is not host:port; /metrics, /healthz and /readyz are off", listen);
            return null;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(o => o.Listen(endpoint));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapGet("/healthz", () => analytics.Completion.IsFaulted
            ? Results.Text("pipeline faulted\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok\n"));
        app.MapGet("/readyz", () => IsReady(analytics)
            ? Results.Text("ready\n")
            : Results.Text("not ready: no partitions assigned or no sink running\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", () => Results.Text(PrometheusTextFormat.Write(PipelineTelemetry.Collect(analytics)), PrometheusTextFormat.ContentType));
        try
        {
            await app.StartAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The reason is enough here; a stack trace of a taken port only hides the line that matters.
            logger.LogWarning("Could not listen on {Endpoint} ({Reason}); /metrics, /healthz and /readyz are off", endpoint, ex.Message);
            await app.DisposeAsync();
            return null;
        }

        var bound = app.Urls.Select(u => new Uri(u)).Select(u => new IPEndPoint(endpoint.Address, u.Port)).FirstOrDefault() ?? endpoint;
        return new ObservabilityServer(app, bound);
    }

    /// <summary>Ready: the consumer holds at least one partition, the pipeline has not completed, and a sink exists.</summary>
    public static bool IsReady(AnalyticsService analytics)
    {
        ArgumentNullException.ThrowIfNull(analytics);
        return !analytics.Completion.IsCompleted && analytics.Source.Assignment.Count > 0 && analytics.Sinks.Count > 0;
    }

    /// <summary>Stops listening. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
        catch (Exception)
        {
            // Shutdown is best effort: the process is exiting anyway.
        }
    }
}
