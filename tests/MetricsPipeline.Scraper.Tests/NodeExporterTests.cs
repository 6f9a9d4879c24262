using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Scraper;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Scraper.Tests;

/// <summary>Scrapes Debian's real prometheus-node-exporter, started by the test on a free loopback port.</summary>
public sealed class NodeExporterTests : IAsyncLifetime
{
    private const string Exporter = "/usr/bin/prometheus-node-exporter";
    private Process? process;
    private Uri? target;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Exporter))
        {
            return;
        }

        // The port is free when probed but another process can take it before the exporter binds it (the exporter
        // then exits: "address already in use"); a new port is tried then, a few times.
        var failures = new StringBuilder();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            if (await TryStartExporterAsync(port, failures))
            {
                return;
            }
        }

        throw new InvalidOperationException("prometheus-node-exporter did not start:\n" + failures);
    }

    private async Task<bool> TryStartExporterAsync(int port, StringBuilder failures)
    {
        // Only unprivileged collectors that exist everywhere; the defaults include some that log errors without root.
        var start = new ProcessStartInfo(Exporter, $"--web.listen-address=127.0.0.1:{port} --collector.disable-defaults --collector.cpu --collector.meminfo --collector.loadavg --collector.netdev --collector.filesystem --collector.stat")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var started = Process.Start(start)!;
        var log = new StringBuilder();
        started.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        started.OutputDataReceived += (_, _) => { };
        started.BeginErrorReadLine();
        started.BeginOutputReadLine();
        process = started;
        target = new Uri($"http://127.0.0.1:{port}/metrics");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(20) && !started.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(target, TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var outcome = started.HasExited ? $"exited with {started.ExitCode}" : "no answer within 20 s";
        await DisposeAsync();
        process = null;
        lock (log)
        {
            failures.AppendLine($"port {port}: {outcome}").Append(log);
        }

        return false;
    }

    public ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void RequireExporter()
    {
        if (process is null)
        {
            if (KafkaFixture.IsCi)
            {
                Assert.Fail("prometheus-node-exporter is not installed at " + Exporter);
            }

            Assert.Skip("prometheus-node-exporter is not installed at " + Exporter);
        }
    }

    [Fact]
    public async Task WhenTheRealNodeExporterIsScrapedThenItsFamiliesBecomeValidLineProtocolWithTargetLabels()
    {
        RequireExporter();
        var options = new PrometheusScrapeOptions { Timeout = TimeSpan.FromSeconds(10) };
        options.Labels["job"] = "node";
        options.Targets.Add(target!);
        var lines = new List<string>();
        await using var source = new PrometheusScrapeSource(options, (_, line) => lines.Add(Encoding.UTF8.GetString(line)));
        var result = await source.ScrapeOnceAsync(target!, TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Error);
        Assert.Empty(result.Exposition!.Errors);
        var families = result.Exposition.Families.ToDictionary(f => f.Name);
        Assert.Equal(PrometheusMetricType.Counter, families["node_cpu_seconds_total"].Type);
        Assert.Equal(PrometheusMetricType.Gauge, families["node_memory_MemTotal_bytes"].Type);
        Assert.False(string.IsNullOrEmpty(families["node_load1"].Help));
        Assert.True(lines.Count > 50, $"only {lines.Count} lines");
        Assert.Contains(lines, l => l.StartsWith("node_cpu_seconds_total,", StringComparison.Ordinal) && l.Contains("mode=idle", StringComparison.Ordinal) && l.Contains(" counter=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("node_memory_MemTotal_bytes,", StringComparison.Ordinal) && l.Contains(" gauge=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("prometheus_scrape,", StringComparison.Ordinal) && l.Contains("up=1", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("job=node", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains($"instance={target!.Authority}", l, StringComparison.Ordinal));

        // Every line reads back as valid line protocol.
        var payload = Encoding.UTF8.GetBytes(string.Concat(lines));
        var reader = new LineProtocolReader(payload);
        var count = 0;
        while (reader.MoveNext())
        {
            Assert.True(reader.IsValid, reader.IsValid ? null : reader.Error.Describe());
            count++;
        }

        Assert.Equal(lines.Count, count);
        Assert.Equal(lines.Count, source.Lines);
    }

    [Fact]
    public async Task WhenTheNodeExporterGoHistogramsAreScrapedThenBucketsCarryLeTags()
    {
        RequireExporter();
        var options = new PrometheusScrapeOptions();
        var lines = new List<string>();
        await using var source = new PrometheusScrapeSource(options, (_, line) => lines.Add(Encoding.UTF8.GetString(line)));
        var result = await source.ScrapeOnceAsync(target!, TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Error);

        // go_gc_duration_seconds is a summary in every node_exporter build.
        Assert.Equal(PrometheusMetricType.Summary, result.Exposition!.Families.Single(f => f.Name == "go_gc_duration_seconds").Type);
        Assert.Contains(lines, l => l.StartsWith("go_gc_duration_seconds,", StringComparison.Ordinal) && l.Contains("quantile=0.5", StringComparison.Ordinal) && l.Contains(" value=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("go_gc_duration_seconds,", StringComparison.Ordinal) && l.Contains(" sum=", StringComparison.Ordinal) && l.Contains(",count=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenATargetIsDownOrSlowThenTheScrapeFailsWithUpZeroAndNoException()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts connections but never answers: a hanging target
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = new PrometheusScrapeOptions { Timeout = TimeSpan.FromMilliseconds(300) };
        using var client = new HttpClient();
        var scraper = new PrometheusScraper(client, options);
        var slow = await scraper.ScrapeAsync(new Uri($"http://127.0.0.1:{port}/metrics"), TestContext.Current.CancellationToken);
        Assert.False(slow.Success);
        Assert.StartsWith("timeout", slow.Error, StringComparison.Ordinal);
        Assert.Contains(slow.Points, p => p.Measurement == "prometheus_scrape" && p.Fields[0].Value.AsDouble == 0);

        // Down: a socket bound but not listening refuses connections, and no other process can take its port meanwhile
        // (a port only probed as free could be listening again by the time of the scrape).
        using var refusing = LoopbackPort.Refusing(out var downPort);
        var down = await scraper.ScrapeAsync(new Uri($"http://127.0.0.1:{downPort}/metrics"), TestContext.Current.CancellationToken);
        Assert.False(down.Success);
        Assert.NotNull(down.Error);
    }

    private static int FreePort() => LoopbackPort.Free();
}
