using System.Globalization;
using System.Net;
using MetricsPipeline.Host.Observability;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Testing;
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

        // Once ready, read /metrics until it shows counted points and every family below (or the demo ends, bounded by
        // its timeout): a fixed pause here lost the race on a loaded machine, where the demo can end within the pause.
        while (!demo.IsCompleted && !(ready && ShowsPoints(metrics)))
        {
            try
            {
                if (!ready)
                {
                    health = (await http.GetAsync("/healthz", ct)).StatusCode;
                    ready = (await http.GetAsync("/readyz", ct)).StatusCode == HttpStatusCode.OK;
                }

                if (ready)
                {
                    metrics = await http.GetStringAsync("/metrics", ct);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet, or gone: the demo has ended.
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

    [Fact]
    public async Task WhenFilesHoldPointsOfEveryStageThenPlotRendersAllSixCharts()
    {
        var ct = TestContext.Current.CancellationToken;
        var input = Directory.CreateTempSubdirectory("mp-plot-in-").FullName;
        var output = Path.Combine(Path.GetTempPath(), $"mp-plot-out-{Guid.NewGuid():N}");
        const long start = 1_763_800_000_000_000_000, minute = 60_000_000_000, day = 86_400_000_000_000;
        var lines = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var t = start + (i * minute);
            var rate = 300 + (100 * Math.Sin(i / 10.0));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"service,instance=a,service=api,window=1m request_rate_mean={rate},instances_max={(i < 30 ? 3 : 5)} {t}"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"http_request,instance=a,service=api,window=1m latency_ms_p50=100,latency_ms_p95=300,latency_ms_p99={400 + i} {t}"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"forecast,metric=request_rate,service=api,step=1,window=1m value={rate},lower={rate - 40},upper={rate + 40} {t}"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"cost,scope=total daily_cost=100,budget=4000 {start - (60 * day) + (i * day)}"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"scaling,action=scale_out,rule=cpu,service=api,trigger=reactive current_instances=3i,target_instances=5i {start + (30 * minute)}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"anomaly,detector=srcnn,metric=request_rate,service=api score=0.97 {start + (20 * minute)}"));
        await File.WriteAllLinesAsync(Path.Combine(input, "metrics-20251122-08.lp"), lines, ct);

        var run = await HostProcess.RunAsync(["plot", "--input", input, "--output", output], TimeSpan.FromMinutes(2), ct);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(
            ["anomalies.png", "forecast.png", "latency-percentiles.png", "request-rate.png", "scaling.png", "spend-vs-budget.png"],
            Directory.GetFiles(output, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static string Normalise(string line) => line.TrimEnd('\n');

    private static bool ShowsPoints(string metrics) =>
        metrics.Split('\n').Any(l => l.StartsWith("pipeline_points_received_total ", StringComparison.Ordinal) && double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture) > 0)
        && metrics.Contains("pipeline_consumer_lag_messages{partition=", StringComparison.Ordinal)
        && metrics.Contains("pipeline_sink_written_total{sink=\"files\"}", StringComparison.Ordinal)
        && metrics.Contains("pipeline_discarded_total{reason=\"late\"}", StringComparison.Ordinal);

    // Below the kernel's ephemeral range: a port the demo cannot bind leaves it without /readyz and the test waits in vain.
    private static int FreePort() => LoopbackPort.Free();
}
