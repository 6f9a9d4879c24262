using System.Globalization;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A real InfluxDB filled once by a short <c>metrics-pipeline demo</c> run (child process), shared by the dashboard
/// query tests. The run lasts long enough for several 10 s telemetry reports, so rates over the <c>pipeline</c>
/// measurement have at least two points.
/// </summary>
public sealed class DashboardDataFixture : IAsyncLifetime
{
    public const string Database = "dashboards";

    private InfluxDbServer? _influx;

    public InfluxDbServer Influx => _influx ?? throw new InvalidOperationException("not initialised");

    public string DemoOutput { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _influx = await InfluxDbServer.StartAsync(ct);
        var run = await HostProcess.RunAsync(
            [
                "demo", "--influx-url", _influx.Url, "--influx-db", Database,
                "--services", "2", "--instances", "2", "--latency-samples", "10",
                "--history", "10m", "--duration", "2m", "--speed", "4",
                "--metrics-listen", "127.0.0.1:0",
            ],
            TimeSpan.FromMinutes(4),
            ct);
        DemoOutput = run.StandardOutput;
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"demo exited {run.ExitCode.ToString(CultureInfo.InvariantCulture)}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_influx is not null)
        {
            await _influx.DisposeAsync();
        }
    }
}
