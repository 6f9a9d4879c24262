using System.Globalization;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A real InfluxDB filled once by a short <c>metrics-pipeline demo</c> run (child process), shared by the dashboard
/// query tests. The run lasts long enough for several 10 s telemetry reports, so rates over the <c>pipeline</c>
/// measurement have at least two points. Ten days of history at one report per minute (few points, ~20 s of
/// backfill) give the forecasters their training windows and the cost engine seven complete days before the day of
/// the incident, so daily costs, projections and the 7-day cost/usage anomaly rules all have input. A 24-hour 5×
/// traffic spike on <c>api</c> ending 16 hours ago covers at least 12 hours of one complete day whatever the time of
/// day (a usage spike of ≥ 3× its average, anomalies, alerts, scaling commands), and a recent one on
/// <c>checkout</c> gives anomaly annotations near now. The default twelve partitions: one partition cannot hold the
/// history (the embedded broker keeps ~5 MB per partition, and a run lost 28,539 points to "offset out of range");
/// with twelve, a loaded machine may make part of the history late (partitions paused by the sink's backpressure
/// count as idle; one run: 21,676 of 172,824 points), which the assertions here tolerate.
/// <para>Exit code 0 means every produced point was read and every window written to InfluxDB (the demo checks both).
/// The demo's drain and stop are bounded by progress, not by a fixed time: over the ten days of history one batch of
/// windows keeps the pipeline thread in its stages for ~20 s at load 4 with no counter moving, and the last live points
/// wait in the source meanwhile. A fixed 2-minute drain (then a 2-minute stop) gave up on them at load ~50 and failed
/// the fixture ("24 live points never arrived": not lost, not yet read). The 8-minute limit is for a demo that stops
/// progressing; HostProcess kills it then.</para>
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
                "--services", "2", "--instances", "2", "--latency-samples", "2", "--interval", "1m",
                "--history", "10d", "--duration", "2m", "--speed", "4",
                "--incident", "spike:api:-40h:24h:5", "--incident", "spike:checkout:-20m:15m:4",
                "--metrics-listen", "127.0.0.1:0",
            ],
            TimeSpan.FromMinutes(8),
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
