using System.Net;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace MetricsPipeline.Testing;

/// <summary>
/// A real InfluxDB 1.x for integration tests. <see cref="StartAsync"/> picks, in order: the server named by
/// <c>METRICSPIPELINE_TEST_INFLUXDB_URL</c>; an <c>influxdb:1.8</c> container when a Docker engine answers; the local
/// <c>influxd</c> binary. Several servers can run at once (free ports, own temp directories).
/// </summary>
public sealed class InfluxDbServer : IAsyncDisposable
{
    public const string UrlVariable = "METRICSPIPELINE_TEST_INFLUXDB_URL";
    public const string ContainerImage = "influxdb:1.8";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly IContainer? _container;
    private readonly InfluxLocalProcess? _process;

    private InfluxDbServer(string url, InfluxDbServerKind kind, IContainer? container, InfluxLocalProcess? process)
    {
        Url = url.TrimEnd('/');
        Kind = kind;
        _container = container;
        _process = process;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    public InfluxDbServerKind Kind { get; }

    /// <summary>Whether the environment says this is a CI run (<c>CI=true</c>): then missing servers fail tests.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Finds or starts a server; throws <see cref="InfluxDbUnavailableException"/> when none can be had.</summary>
    public static Task<InfluxDbServer> StartAsync(CancellationToken ct = default) => StartAsync(stoppable: false, ct);

    /// <summary>
    /// Finds or starts a server. With <paramref name="stoppable"/> the external URL is ignored, because fault-injection
    /// tests must be able to stop and restart the server.
    /// </summary>
    public static async Task<InfluxDbServer> StartAsync(bool stoppable, CancellationToken ct = default)
    {
        var external = stoppable ? null : Environment.GetEnvironmentVariable(UrlVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            if (!await PingAsync(external.TrimEnd('/'), ct))
            {
                throw new InfluxDbUnavailableException($"{UrlVariable}={external} does not answer /ping.");
            }

            return new InfluxDbServer(external, InfluxDbServerKind.External, null, null);
        }

        if (await InfluxDockerProbe.IsDockerAvailableAsync(ct))
        {
            return await StartContainerAsync(ct);
        }

        if (InfluxLocalProcess.FindBinary() is { } binary)
        {
            var process = await InfluxLocalProcess.StartAsync(binary, ct);
            return new InfluxDbServer(process.Url, InfluxDbServerKind.LocalProcess, null, process);
        }

        throw new InfluxDbUnavailableException(
            $"No InfluxDB for integration tests: set {UrlVariable}, run a Docker engine, or install influxd (Debian package 'influxdb').");
    }

    /// <summary>Stops the server, keeping its data and port (fault injection: "InfluxDB is down").</summary>
    public async Task StopAsync()
    {
        switch (Kind)
        {
            case InfluxDbServerKind.Container:
                await _container!.StopAsync();
                break;
            case InfluxDbServerKind.LocalProcess:
                await _process!.StopAsync();
                break;
            default:
                throw new NotSupportedException("An external server cannot be stopped by the tests.");
        }
    }

    /// <summary>Starts the server again with the same data and port, and waits until it answers /ping.</summary>
    public async Task StartAgainAsync()
    {
        switch (Kind)
        {
            case InfluxDbServerKind.Container:
                await _container!.StartAsync();
                break;
            case InfluxDbServerKind.LocalProcess:
                await _process!.StartAgainAsync();
                break;
            default:
                throw new NotSupportedException("An external server cannot be restarted by the tests.");
        }
    }

    /// <summary>Runs InfluxQL (GET /query, epoch=ns) and parses the answer.</summary>
    public async Task<InfluxQueryResult> QueryAsync(string db, string influxql)
    {
        var uri = $"{Url}/query?db={Uri.EscapeDataString(db)}&epoch=ns&q={Uri.EscapeDataString(influxql)}";
        using var response = await Http.GetAsync(uri);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxDB query failed with HTTP {(int)response.StatusCode}: {body}");
        }

        return InfluxQueryResult.Parse(body);
    }

    /// <summary>Creates a database (idempotent).</summary>
    public async Task CreateDatabaseAsync(string db)
    {
        var statement = "CREATE DATABASE \"" + db.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", statement)]);
        using var response = await Http.PostAsync($"{Url}/query", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{statement} failed with HTTP {(int)response.StatusCode}: {body}");
        }

        _ = InfluxQueryResult.Parse(body);
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    /// <summary>Whether <c>{url}/ping</c> answers with success within 2 s.</summary>
    public static Task<bool> PingAsync(string url, CancellationToken ct = default) => MetricsPipeline.Sinks.InfluxDb.Local.LocalInfluxd.PingAsync(url, ct);

    private static async Task<InfluxDbServer> StartContainerAsync(CancellationToken ct)
    {
        // A fixed free host port, so a stopped and restarted container keeps its URL.
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var hostPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var container = new ContainerBuilder(ContainerImage)
            .WithPortBinding(hostPort, 8086)
            .WithEnvironment("INFLUXDB_REPORTING_DISABLED", "true")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPath("/ping").ForPort(8086).ForStatusCode(HttpStatusCode.NoContent)))
            .Build();
        await container.StartAsync(ct);
        return new InfluxDbServer($"http://127.0.0.1:{hostPort}", InfluxDbServerKind.Container, container, null);
    }
}
