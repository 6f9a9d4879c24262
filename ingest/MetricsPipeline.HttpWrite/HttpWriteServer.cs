using System.Net;
using MetricsPipeline.Ingest.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.HttpWrite;

/// <summary>
/// The InfluxDB-compatible write endpoint on Kestrel: <c>POST /write</c> (v1), <c>POST /api/v2/write</c> (v2),
/// <c>GET|HEAD /ping</c> (204, what clients probe) and <c>GET /health</c>. Start with <see cref="StartAsync"/>;
/// dispose to stop (idempotent, never throws).
/// </summary>
public sealed class HttpWriteServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly WriteEndpoint endpoint;
    private int disposed;

    private HttpWriteServer(WebApplication app, WriteEndpoint endpoint, Uri address)
    {
        this.app = app;
        this.endpoint = endpoint;
        Address = address;
    }

    /// <summary>The base address actually bound, e.g. <c>http://127.0.0.1:8186/</c> (a real port when 0 was asked).</summary>
    public Uri Address { get; }

    /// <summary>The endpoint's counters.</summary>
    public HttpWriteStatistics Statistics => endpoint.Statistics;

    /// <summary>Binds <see cref="HttpWriteOptions.Listen"/> and starts serving.</summary>
    /// <param name="options">The endpoint's settings.</param>
    /// <param name="target">Where accepted lines go (e.g. a <see cref="KafkaLineTarget"/>).</param>
    /// <param name="deadLetters">Where rejected lines go (e.g. the Kafka dead-letter sink), or <c>null</c>.</param>
    /// <param name="loggerFactory">Logging, or <c>null</c> for none.</param>
    /// <param name="timeProvider">The clock stamping lines without a timestamp; the default is the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="FormatException"><see cref="HttpWriteOptions.Listen"/> is not <c>host:port</c>.</exception>
    public static async Task<HttpWriteServer> StartAsync(
        HttpWriteOptions options,
        ILineTarget target,
        IDeadLetterSink? deadLetters = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endPoint = ParseListen(options.Listen);
        loggerFactory ??= NullLoggerFactory.Instance;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endPoint);
            kestrel.AddServerHeader = false;
            // BodyReader enforces the limit itself (also after gzip), so Kestrel must not cut the stream earlier.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var endpoint = new WriteEndpoint(options, target, deadLetters, loggerFactory.CreateLogger<WriteEndpoint>(), timeProvider);
        app.MapPost("/write", context => endpoint.HandleAsync(context, v2: false));
        app.MapPost("/api/v2/write", context => endpoint.HandleAsync(context, v2: true));
        app.MapMethods("/ping", ["GET", "HEAD"], context =>
        {
            context.Response.Headers["X-Influxdb-Version"] = "1.8-metrics-pipeline";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapGet("/health", () => Results.Json(new Dictionary<string, string> { ["name"] = "metrics-pipeline", ["status"] = "pass" }));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{endPoint}";
        return new HttpWriteServer(app, endpoint, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    /// <summary>Parses <c>host:port</c> (IPv4, <c>[IPv6]</c>, or <c>localhost</c>).</summary>
    /// <exception cref="FormatException">Not an address and port.</exception>
    public static IPEndPoint ParseListen(string listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var text = listen.Replace("localhost", "127.0.0.1", StringComparison.OrdinalIgnoreCase);
        return IPEndPoint.TryParse(text, out var endPoint) && text.Contains(':', StringComparison.Ordinal)
            ? endPoint
            : throw new FormatException($"'{listen}' is not host:port (e.g. 127.0.0.1:8186).");
    }

    /// <summary>Stops accepting requests, lets in-flight ones finish (up to 5 s) and releases the port. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Shutdown never throws (house style); nothing useful can be done here.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        endpoint.Dispose();
    }
}
