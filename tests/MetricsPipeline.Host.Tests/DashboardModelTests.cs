using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>Every dashboard file is a Grafana dashboard that the provisioned datasource can serve.</summary>
public class DashboardModelTests
{
    public static TheoryData<string> Dashboards() => [.. DashboardFiles.Paths().Select(p => Path.GetFileName(p))];

    private static JsonObject Load(string file) => DashboardFiles.Load(Path.Combine(RepositoryPaths.Root, "grafana", "dashboards", file));

    [Fact]
    public void TheSixDashboardsOfTheIssueExist()
    {
        var titles = DashboardFiles.Paths().Select(p => (string)DashboardFiles.Load(p)["title"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "Fleet overview", "Forecasts", "Anomalies and alerts", "Scaling", "Cost and budgets", "Pipeline health" }, titles);
    }

    [Fact]
    public void EveryDashboardHasItsOwnUid()
    {
        var uids = DashboardFiles.Paths().Select(p => (string)DashboardFiles.Load(p)["uid"]!).ToList();
        Assert.Equal(uids.Count, uids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void WhenADashboardIsLoadedThenItFollowsGrafanasDashboardModel(string file)
    {
        var dashboard = Load(file);
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["uid"]), "uid");
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["title"]), "title");
        Assert.True(dashboard["schemaVersion"]!.GetValue<int>() >= 30, "schemaVersion");
        Assert.NotNull(dashboard["time"]?["from"]);
        var panels = dashboard["panels"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.NotEmpty(panels);
        var ids = panels.Select(p => p["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels)
        {
            var title = (string)panel["title"]!;
            Assert.False(string.IsNullOrWhiteSpace((string?)panel["type"]), $"{title}: type");
            var grid = panel["gridPos"]!;
            Assert.True(grid["w"]!.GetValue<int>() is > 0 and <= 24 && grid["x"]!.GetValue<int>() + grid["w"]!.GetValue<int>() <= 24, $"{title}: gridPos");
            Assert.Equal(DashboardFiles.DatasourceUid, (string?)panel["datasource"]?["uid"]);
            var targets = panel["targets"]!.AsArray().OfType<JsonObject>().ToList();
            Assert.NotEmpty(targets);
            Assert.Equal(targets.Count, targets.Select(t => (string)t["refId"]!).Distinct().Count());
            foreach (var target in targets)
            {
                Assert.Equal(DashboardFiles.DatasourceUid, (string?)target["datasource"]?["uid"]);
                Assert.Equal("influxdb", (string?)target["datasource"]?["type"]);
                Assert.True(target["rawQuery"]!.GetValue<bool>(), $"{title}: raw InfluxQL");
                Assert.StartsWith("SELECT ", (string)target["query"]!, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void WhenAQueryReferencesAVariableThenTheDashboardDefinesIt(string file)
    {
        var dashboard = Load(file);
        var variables = DashboardFiles.Variables(dashboard).Select(v => (string)v["name"]!).ToList();
        Assert.NotEmpty(variables);
        Assert.Equal(variables.Count, variables.Distinct(StringComparer.Ordinal).Count());
        foreach (var variable in DashboardFiles.Variables(dashboard).Where(v => (string?)v["type"] == "query"))
        {
            Assert.Equal(DashboardFiles.DatasourceUid, (string?)variable["datasource"]?["uid"]);
        }

        var defined = variables.Concat(DashboardFiles.BuiltIns).ToHashSet(StringComparer.Ordinal);
        foreach (var query in DashboardFiles.Queries(dashboard))
        {
            foreach (var name in DashboardFiles.References(query.Query))
            {
                Assert.True(defined.Contains(name), $"{query.Key} references ${name}, which the dashboard does not define");
            }
        }

        // A variable may only use the variables defined before it (Grafana resolves them in order).
        var seen = new HashSet<string>(DashboardFiles.BuiltIns, StringComparer.Ordinal);
        foreach (var variable in DashboardFiles.Variables(dashboard))
        {
            foreach (var name in DashboardFiles.References((string?)variable["query"] ?? string.Empty))
            {
                Assert.Contains(name, seen);
            }

            seen.Add((string)variable["name"]!);
        }
    }

    [Fact]
    public void EveryDashboardFileIsValidJsonWithoutComments()
    {
        foreach (var path in DashboardFiles.Paths())
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }
    }
}
