using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MetricsPipeline.Host.Tests;

/// <summary>The dashboards under grafana/dashboards and what the tests need from them: queries and variables.</summary>
internal static partial class DashboardFiles
{
    public const string DatasourceUid = "metricspipeline-influxdb";

    /// <summary>Variables Grafana itself provides to InfluxQL queries.</summary>
    public static readonly IReadOnlySet<string> BuiltIns = new HashSet<string>(StringComparer.Ordinal)
    {
        "timeFilter", "__timeFilter", "__interval", "interval", "__interval_ms", "__from", "__to", "__range", "__rate_interval",
    };

    public static IReadOnlyList<string> Paths() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "grafana", "dashboards"), "*.json").Order(StringComparer.Ordinal)];

    public static JsonObject Load(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    /// <summary>Every query of a dashboard: panel targets, annotations and variable queries, with a readable key.</summary>
    public static IEnumerable<DashboardQuery> Queries(JsonObject dashboard)
    {
        var uid = (string)dashboard["uid"]!;
        foreach (var variable in Variables(dashboard).Where(v => (string?)v["type"] == "query"))
        {
            yield return new DashboardQuery(uid, $"variable:{(string)variable["name"]!}", (string)variable["query"]!);
        }

        foreach (var annotation in dashboard["annotations"]?["list"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (annotation["query"] is JsonValue q)
            {
                yield return new DashboardQuery(uid, $"annotation:{(string)annotation["name"]!}", (string)q!);
            }
        }

        foreach (var panel in dashboard["panels"]!.AsArray().OfType<JsonObject>())
        {
            foreach (var target in panel["targets"]!.AsArray().OfType<JsonObject>())
            {
                yield return new DashboardQuery(uid, $"panel:{(string)panel["title"]!}", (string)target["query"]!, (string)target["refId"]!);
            }
        }
    }

    public static IEnumerable<JsonObject> Variables(JsonObject dashboard) =>
        dashboard["templating"]?["list"]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>Names referenced as <c>$name</c>, <c>${name}</c>, <c>${name:format}</c> or <c>[[name]]</c>.</summary>
    public static IEnumerable<string> References(string query) =>
        VariableReference().Matches(query).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);

    /// <summary>Replaces every variable reference with <paramref name="value"/>(name).</summary>
    public static string Substitute(string query, Func<string, string> value) =>
        VariableReference().Replace(query, m => value(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value));

    /// <summary>The measurements a query reads (<c>FROM "x"</c>).</summary>
    public static IEnumerable<string> Measurements(string query) =>
        FromClause().Matches(query).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"FROM ""([^""]+)""")]
    private static partial Regex FromClause();
}

/// <summary>One query of a dashboard; <see cref="Key"/> is <c>uid/panel:Title/A</c>.</summary>
internal sealed record DashboardQuery(string DashboardUid, string Element, string Query, string? RefId = null)
{
    public string Element { get; } = Element;

    public string Key => RefId is null ? $"{DashboardUid}/{Element}" : $"{DashboardUid}/{Element}/{RefId}";
}
