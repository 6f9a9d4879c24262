using System.Globalization;
using MetricsPipeline.Forecasting.History;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Runs <c>metrics-pipeline demo</c> with line-protocol output, checks the forecast lines and the Arrow window
/// history it wrote, then runs <c>metrics-pipeline retrain</c> on that history.
/// </summary>
public sealed class ForecastDemoEndToEndTests
{
    [Fact]
    public async Task WhenTheDemoRunsThenEveryServiceHasForecastsAndTheHistoryRetrainsIntoTheModelStore()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Path.Combine(Path.GetTempPath(), $"mp-fc4-e2e-{Guid.NewGuid():N}");
        var outDir = Path.Combine(root, "out");
        var run = await HostProcess.RunAsync(
            ["demo", "--services", "2", "--instances", "2", "--latency-samples", "5", "--history", "3h", "--duration", "1m", "--speed", "60", "--out", outDir],
            TimeSpan.FromMinutes(3),
            ct);
        Assert.True(run.ExitCode == 0, $"demo exited {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}");

        var lines = Directory.GetFiles(outDir, "*.lp").SelectMany(File.ReadLines).Where(l => l.StartsWith("forecast,", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        var byMetricAndService = lines.GroupBy(l => (Tag(l, "metric"), Tag(l, "service"))).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var metric in new[] { "request_rate", "cpu", "latency_p95" })
        {
            foreach (var service in byMetricAndService.Keys.Select(k => k.Item2).Distinct())
            {
                var group = byMetricAndService[(metric, service)];
                Assert.Equal([1, 5, 15, 30, 60], group.Select(l => int.Parse(Tag(l, "step"), CultureInfo.InvariantCulture)).Distinct().Order());
                Assert.All(group, l => Assert.Equal("online", Tag(l, "model_version")));
                Assert.All(group, l =>
                {
                    var (value, lower, upper) = (Field(l, "value"), Field(l, "lower"), Field(l, "upper"));
                    Assert.True(lower <= value && value <= upper, l);
                });
            }
        }

        Assert.Equal(2, byMetricAndService.Keys.Select(k => k.Item2).Distinct().Count());
        var requestRate = byMetricAndService.Where(p => p.Key.Item1 == "request_rate").SelectMany(p => p.Value).Select(l => Field(l, "value")).ToList();
        Assert.True(requestRate.Average() > 0, "request-rate forecasts should be positive on average");

        var history = Path.Combine(outDir, "history");
        var rows = WindowHistoryReader.Read(history, "1m").ToList();
        Assert.Equal(2, rows.Where(r => r.Measurement == "service").Select(r => r.Tag("service")).Distinct().Count());
        Assert.True(rows.Count(r => r.Measurement == "service" && r.Field == "request_rate") >= 2 * 2 * 180, $"{rows.Count} rows");
        Assert.NotEmpty(WindowHistoryReader.Read(history, "10s"));

        var models = Path.Combine(root, "models");
        var retrain = await HostProcess.RunAsync(["retrain", "--history", history, "--models", models, "--horizon", "10"], TimeSpan.FromSeconds(60), ct);
        Assert.True(retrain.ExitCode == 0, $"retrain exited {retrain.ExitCode}\nstdout:\n{retrain.StandardOutput}\nstderr:\n{retrain.StandardError}");
        Assert.Contains("6 models stored, 0 series skipped", retrain.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(6, Directory.GetDirectories(models).Length);
        Assert.All(Directory.GetDirectories(models), d => Assert.True(File.Exists(Path.Combine(d, "v1.ssa")) && File.Exists(Path.Combine(d, "v1.json"))));
    }

    [Fact]
    public async Task WhenTheDemoWritesToInfluxDbThenItWritesTheWindowHistoryToo()
    {
        // Issue #4 (session 11): with --influx-url the demo wrote no Arrow history, so retrain had nothing to read. A
        // loopback endpoint that accepts every write stands in for InfluxDB: only the history files are checked here.
        var ct = TestContext.Current.CancellationToken;
        var root = Path.Combine(Path.GetTempPath(), $"mp-fc11-influx-{Guid.NewGuid():N}");
        var history = Path.Combine(root, "history");
        using var influx = new System.Net.HttpListener();
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        influx.Prefixes.Add($"http://127.0.0.1:{port}/");
        influx.Start();
        var serve = Task.Run(
            async () =>
            {
                while (influx.IsListening)
                {
                    System.Net.HttpListenerContext context;
                    try
                    {
                        context = await influx.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    await context.Request.InputStream.CopyToAsync(Stream.Null, ct);
                    var query = context.Request.Url!.AbsolutePath.EndsWith("/query", StringComparison.Ordinal);
                    context.Response.StatusCode = query ? 200 : 204;
                    if (query)
                    {
                        await context.Response.OutputStream.WriteAsync("""{"results":[{"statement_id":0}]}"""u8.ToArray(), ct);
                    }

                    context.Response.Close();
                }
            },
            ct);

        var run = await HostProcess.RunAsync(
            ["demo", "--services", "1", "--instances", "2", "--latency-samples", "2", "--history", "30m", "--duration", "10s", "--speed", "30",
             "--influx-url", $"http://127.0.0.1:{port}", "--influx-db", "demo", "--history-dir", history, "--out", Path.Combine(root, "out")],
            TimeSpan.FromMinutes(3),
            ct);
        influx.Stop();
        await serve;

        Assert.True(run.ExitCode == 0, $"demo exited {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}");
        var rows = WindowHistoryReader.Read(history, "1m").ToList();
        Assert.True(rows.Count(r => r.Measurement == "service" && r.Field == "request_rate") >= 2 * 25, $"{rows.Count} rows");
        Assert.Contains($"window history (Arrow, for retrain): {history}", run.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "out")) && Directory.GetFiles(Path.Combine(root, "out"), "*.lp").Length > 0, "InfluxDB output writes no line-protocol files");
    }

    private static string Tag(string line, string key)
    {
        var head = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        var part = head.Split(',').Single(p => p.StartsWith(key + "=", StringComparison.Ordinal));
        return part[(key.Length + 1)..];
    }

    private static double Field(string line, string key)
    {
        var fields = line.Split(' ')[1];
        var part = fields.Split(',').Single(p => p.StartsWith(key + "=", StringComparison.Ordinal));
        return double.Parse(part[(key.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
