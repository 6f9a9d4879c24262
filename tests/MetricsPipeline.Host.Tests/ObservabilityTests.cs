using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MetricsPipeline.Host.Observability;
using MetricsPipeline.Ingest.LineProtocol;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>The host's /healthz, /readyz and /metrics, and the telemetry's two encodings.</summary>
public class ObservabilityTests
{
    private static readonly KeyValuePair<string, string>[] None = [];

    [Fact]
    public void WhenSamplesShareANameThenTheyFormOneFamilyWithOneTypeLine()
    {
        var text = PrometheusTextFormat.Write(
        [
            new TelemetrySample("pipeline_discarded_total", "Points discarded.", true, [new("reason", "late")], 3),
            new TelemetrySample("pipeline_points_received_total", "Points.", true, None, 10),
            new TelemetrySample("pipeline_discarded_total", "Points discarded.", true, [new("reason", "se\"ries\\limit")], 1.5),
        ]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "# HELP pipeline_discarded_total Points discarded.",
                "# TYPE pipeline_discarded_total counter",
                "pipeline_discarded_total{reason=\"late\"} 3",
                "pipeline_discarded_total{reason=\"se\\\"ries\\\\limit\"} 1.5",
                "# HELP pipeline_points_received_total Points.",
                "# TYPE pipeline_points_received_total counter",
                "pipeline_points_received_total 10",
            ],
            lines);
    }

    [Fact]
    public void WhenSamplesBecomePointsThenEachLabelSetIsOnePointWithTheLabelsAsTags()
    {
        var points = PipelineTelemetryPoints.ToPoints(
        [
            new TelemetrySample("pipeline_points_received_total", "p", true, None, 10),
            new TelemetrySample("pipeline_sink_written_total", "w", true, [new("sink", "influxdb")], 7),
            new TelemetrySample("pipeline_late_points_total", "l", true, None, 2),
            new TelemetrySample("pipeline_sink_retries_total", "r", true, [new("sink", "influxdb")], 1),
        ], 1_000_000_000);
        var lines = points.Select(p => LineProtocolWriter.ToLine(p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("pipeline points_received_total=10,late_points_total=2 1000000000", Normalise(lines[0]));
        Assert.Equal("pipeline,sink=influxdb sink_written_total=7,sink_retries_total=1 1000000000", Normalise(lines[1]));
    }

    [Fact]
    public async Task WhenTheDemoRunsThenReadyzTurnsReadyAndMetricsCountThePoints()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        var demo = HostProcess.RunAsync(
            [
                "demo", "--out", Path.Combine(Path.GetTempPath(), $"mp-obs-{Guid.NewGuid():N}"),
                "--services", "2", "--instances", "2", "--history", "2m", "--duration", "2m", "--speed", "4",
                "--metrics-listen", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ],
            TimeSpan.FromMinutes(3),
            ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };

        var ready = false;
        var metrics = string.Empty;
        var health = HttpStatusCode.ServiceUnavailable;
        while (!demo.IsCompleted && !ready)
        {
            try
            {
                health = (await http.GetAsync("/healthz", ct)).StatusCode;
                ready = (await http.GetAsync("/readyz", ct)).StatusCode == HttpStatusCode.OK;
                if (ready)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct); // let some points through before reading the counters
                    metrics = await http.GetStringAsync("/metrics", ct);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }

        var run = await demo;
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.True(ready, "/readyz never answered 200 while the demo ran");
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Contains("# TYPE pipeline_points_received_total counter", metrics, StringComparison.Ordinal);
        var received = metrics.Split('\n').Single(l => l.StartsWith("pipeline_points_received_total ", StringComparison.Ordinal));
        Assert.True(double.Parse(received.Split(' ')[1], CultureInfo.InvariantCulture) > 0, received);
        Assert.Contains("pipeline_consumer_lag_messages{partition=", metrics, StringComparison.Ordinal);
        Assert.Contains("pipeline_sink_written_total{sink=\"files\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("pipeline_discarded_total{reason=\"late\"}", metrics, StringComparison.Ordinal);
    }

    private static string Normalise(string line) => line.TrimEnd('\n');

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
