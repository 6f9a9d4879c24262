using System.Globalization;
using System.Text.Json;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Runs <c>metrics-pipeline demo</c> as a child process against a real InfluxDB and checks, with InfluxQL, that
/// every simulated series has 10 s and 1 min aggregates with plausible percentiles, and that the counts equal the
/// points produced: nothing lost, nothing doubled.
/// </summary>
public class DemoEndToEndTests
{
    private const int Services = 2;
    private const int Instances = 2;
    private const int Samples = 10;

    [Fact]
    public async Task WhenTheDemoRunsAgainstInfluxDbThenEverySeriesHasCompleteAggregates()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxDbServer.StartAsync(ct);
        var summaryPath = Path.Combine(Path.GetTempPath(), $"mp-demo-{Guid.NewGuid():N}.json");
        var historyDir = Path.Combine(Path.GetTempPath(), $"mp-demo-history-{Guid.NewGuid():N}");
        var run = await HostProcess.RunAsync(
            [
                "demo", "--influx-url", influx.Url, "--influx-db", "e2e",
                "--services", Services.ToString(CultureInfo.InvariantCulture), "--instances", Instances.ToString(CultureInfo.InvariantCulture),
                "--latency-samples", Samples.ToString(CultureInfo.InvariantCulture),
                "--history", "5m", "--duration", "1m", "--speed", "60", "--summary-json", summaryPath, "--history-dir", historyDir,
            ],
            TimeSpan.FromMinutes(3),
            ct);
        Assert.True(run.ExitCode == 0, $"demo exited {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}");

        // The Arrow window history that retrain reads is written with InfluxDB output too (issue #4: it was only with files).
        Assert.Contains(MetricsPipeline.Forecasting.History.WindowHistoryReader.Read(historyDir, "1m"), r => r.Measurement == "service" && r.Field == "cpu_percent");

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath, ct));
        var produced = summary.RootElement.GetProperty("points_produced_by_measurement");
        var intervals = summary.RootElement.GetProperty("intervals").GetInt64();
        Assert.True(intervals >= 36, $"only {intervals} intervals were generated");
        Assert.Equal(0, summary.RootElement.GetProperty("late_points").GetInt64());
        Assert.Equal(0, summary.RootElement.GetProperty("parse_errors").GetInt64());

        foreach (var (measurement, field, perInterval) in new[] { ("service", "cpu_percent", 1L), ("http_request", "latency_ms", (long)Samples) })
        {
            var producedHere = produced.GetProperty(measurement).GetInt64();
            Assert.Equal(Services * Instances * intervals * perInterval, producedHere);
            foreach (var window in new[] { "10s", "1m" })
            {
                var result = await influx.QueryAsync("e2e", $"SELECT sum(\"{field}_count\") FROM \"{measurement}\" WHERE \"window\" = '{window}' GROUP BY \"service\", \"instance\"");
                var groups = result.Series;
                Assert.Equal(Services * Instances, groups.Count);
                foreach (var group in groups)
                {
                    var count = (long)group.Rows.Single()[1].GetDouble();
                    Assert.True(count == intervals * perInterval, $"{measurement} {window} {string.Join(',', group.Tags.Select(t => t.Key + '=' + t.Value))}: {count} values aggregated, {intervals * perInterval} produced");
                }
            }
        }

        var percentiles = await influx.QueryAsync("e2e", "SELECT \"latency_ms_p50\", \"latency_ms_p95\", \"latency_ms_p99\", \"latency_ms_max\" FROM \"http_request\"");
        var rows = percentiles.Series.Single().Rows;
        Assert.True(rows.Count >= 2 * Services * Instances * intervals / 6, $"only {rows.Count} latency windows");
        foreach (var row in rows)
        {
            var p50 = row[1].GetDouble();
            var p95 = row[2].GetDouble();
            var p99 = row[3].GetDouble();
            var max = row[4].GetDouble();
            Assert.True(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, $"implausible percentiles at {row[0]}: p50 {p50}, p95 {p95}, p99 {p99}, max {max}");
        }
    }
}
