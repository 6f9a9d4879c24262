using MetricsPipeline.Sinks.InfluxDb.Local;

namespace MetricsPipeline.Testing;

/// <summary>
/// The local <c>influxd</c> (1.x) of the integration tests: <see cref="LocalInfluxd"/> (the launcher the soak bench
/// uses too), with its start failures reported as <see cref="InfluxDbUnavailableException"/> so that a missing or
/// broken influxd fails the tests with the fixture's message.
/// </summary>
public sealed class InfluxLocalProcess : IAsyncDisposable
{
    private readonly LocalInfluxd _server;

    private InfluxLocalProcess(LocalInfluxd server) => _server = server;

    public int HttpPort => _server.HttpPort;

    public string Url => _server.Url;

    /// <summary>Finds influxd on PATH or at /usr/bin/influxd; <c>null</c> when absent.</summary>
    public static string? FindBinary() => LocalInfluxd.FindBinary();

    public static async Task<InfluxLocalProcess> StartAsync(string binary, CancellationToken ct)
    {
        try
        {
            return new InfluxLocalProcess(await LocalInfluxd.StartAsync(binary, null, ct));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            throw new InfluxDbUnavailableException(ex.Message);
        }
    }

    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        try
        {
            await _server.StartAgainAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            throw new InfluxDbUnavailableException(ex.Message);
        }
    }

    public Task StopAsync() => _server.StopAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
