using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Every dashboard query (panel targets, annotations, variable queries), with its template variables substituted as
/// Grafana would, runs against a real InfluxDB filled by a short demo run and returns data.
/// </summary>
public class DashboardQueryTests(DashboardDataFixture data) : IClassFixture<DashboardDataFixture>
{
    /// <summary>The stages whose points are not produced on this branch yet, by the measurement they will write.</summary>
    /// <summary>
    /// The stages whose points are not produced yet, by the measurement they will write. Empty: every stage the
    /// dashboards read (forecast, anomaly, alert, scaling, cost) is wired into the host and fills them in the demo.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> AwaitingStage = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The dashboard elements allowed to return nothing until their stage is wired. Empty: every panel, annotation and
    /// variable must return data.
    /// </summary>
    private static readonly IReadOnlySet<string> AwaitingStageExclusions = new HashSet<string>(StringComparer.Ordinal);

    public static TheoryData<string, string> AllQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in DashboardFiles.Paths())
        {
            foreach (var query in DashboardFiles.Queries(DashboardFiles.Load(path)))
            {
                data.Add(Path.GetFileName(path), query.Key);
            }
        }

        return data;
    }

    [Fact]
    public void TheExclusionsAreOnlyQueriesOfMeasurementsAwaitingAStage()
    {
        var reading = DashboardFiles.Paths()
            .SelectMany(p => DashboardFiles.Queries(DashboardFiles.Load(p)))
            .Where(q => DashboardFiles.Measurements(q.Query).Any(AwaitingStage.ContainsKey))
            .Select(q => q.Key)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Subset(reading, AwaitingStageExclusions.ToHashSet(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllQueries))]
    public async Task WhenADashboardQueryRunsAgainstAPipelineFilledInfluxDbThenItReturnsData(string file, string key)
    {
        var dashboard = DashboardFiles.Load(Path.Combine(RepositoryPaths.Root, "grafana", "dashboards", file));
        var values = await ResolveVariablesAsync(dashboard);
        var query = DashboardFiles.Queries(dashboard).Single(q => q.Key == key);
        var influxql = DashboardFiles.Substitute(query.Query, name => values[name]);

        // InfluxDB checks the syntax of every query, also of those whose measurement is still empty.
        var result = await data.Influx.QueryAsync(DashboardDataFixture.Database, influxql);
        if (AwaitingStageExclusions.Contains(key))
        {
            // Its stage is not wired into the demo yet (or the short run does not trigger it): the query must run
            // (InfluxDB checked its syntax above), and may or may not return data.
            Assert.NotNull(result);
            return;
        }

        Assert.True(result.RowCount > 0, $"{key} returned nothing:\n{influxql}");
    }

    [Theory]
    [InlineData("SELECT count(\"target_instances\") FROM \"scaling\" WHERE \"trigger\" = 'predictive' AND \"rule\" = 'forecast_upper_bound'")]
    [InlineData("SELECT count(\"value\") FROM \"alert\" WHERE \"kind\" = 'cost' AND \"rule\" = 'usage_spike' AND \"service\" = 'api'")]
    [InlineData("SELECT count(\"projected_cost\") FROM \"cost\" WHERE \"scope\" = 'total' AND \"horizon\" = 'quarterly'")]
    [InlineData("SELECT count(\"budget\") FROM \"cost\" WHERE \"scope\" = 'total' AND \"period\" = 'monthly'")]
    public async Task WhenTheDemoRanThenTheDecisionStageWroteWhatTheDashboardsShow(string influxql)
    {
        // Not only "some row": predictive commands sized from a forecast, the incident's usage spike as a cost alert,
        // projections and budgets, each produced by the stream itself during the short demo.
        var result = await data.Influx.QueryAsync(DashboardDataFixture.Database, influxql);
        Assert.True(result.RowCount > 0, $"nothing for {influxql}\ndemo output:\n{data.DemoOutput}");
    }

    [Fact]
    public async Task WhenThePlotCommandReadsTheSameInfluxDbThenItWritesTheLatencyAndRequestRateCharts()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(Path.GetTempPath(), $"mp-plot-{Guid.NewGuid():N}");
        var run = await HostProcess.RunAsync(["plot", "--influx-url", data.Influx.Url, "--influx-db", DashboardDataFixture.Database, "--output", output], TimeSpan.FromMinutes(2), ct);
        Assert.True(run.ExitCode == 0, run.StandardError);
        foreach (var chart in new[] { "latency-percentiles.png", "request-rate.png" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(output, chart), ct);
            Assert.True(bytes.Length > 10_000, $"{chart}: {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
    }

    /// <summary>Resolves the variables in order, as Grafana does: a query variable's values come from InfluxDB.</summary>
    private async Task<Dictionary<string, string>> ResolveVariablesAsync(JsonObject dashboard)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Wide enough for the simulated history (minutes in the past) and the processing-time telemetry.
            ["timeFilter"] = "time >= now() - 7d AND time <= now() + 1d",
            ["__timeFilter"] = "time >= now() - 7d AND time <= now() + 1d",
            ["__interval"] = "10s",
            ["interval"] = "10s",
        };
        foreach (var variable in DashboardFiles.Variables(dashboard))
        {
            var name = (string)variable["name"]!;
            var type = (string?)variable["type"];
            var multi = variable["multi"]?.GetValue<bool>() == true || variable["includeAll"]?.GetValue<bool>() == true;
            List<string> options;
            if (type == "query")
            {
                var q = DashboardFiles.Substitute((string)variable["query"]!, n => values[n]);
                var result = await data.Influx.QueryAsync(DashboardDataFixture.Database, q);
                options = [.. result.Series.SelectMany(s => s.Rows.Select(r => r[s.Columns.ToList().IndexOf("value")].GetString()!))];
            }
            else
            {
                options = [.. ((string)variable["query"]!).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                var current = (string?)variable["current"]?["value"];
                if (current is not null && options.Remove(current))
                {
                    options.Insert(0, current);
                }
            }

            values[name] = options.Count == 0
                ? "__no_value__" // matches nothing, as Grafana's empty selection does
                : multi ? "(" + string.Join('|', options.Select(Regex.Escape)) + ")" : options[0];
        }

        return values;
    }
}
