using System.Text.Json;

namespace MetricsPipeline.Testing;

/// <summary>The parsed answer of InfluxDB's <c>/query</c> endpoint (all statements' series, flattened).</summary>
public sealed record InfluxQueryResult(IReadOnlyList<InfluxSeries> Series)
{
    /// <summary>The total number of rows over all series.</summary>
    public int RowCount => Series.Sum(s => s.Rows.Count);

    /// <summary>Parses the JSON body; throws <see cref="InvalidOperationException"/> carrying any statement error.</summary>
    public static InfluxQueryResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var topError))
        {
            throw new InvalidOperationException("InfluxDB query failed: " + topError.GetString());
        }

        var series = new List<InfluxSeries>();
        if (root.TryGetProperty("results", out var results))
        {
            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException("InfluxDB statement failed: " + error.GetString());
                }

                if (!result.TryGetProperty("series", out var list))
                {
                    continue;
                }

                foreach (var s in list.EnumerateArray())
                {
                    var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (s.TryGetProperty("tags", out var tagObject))
                    {
                        foreach (var tag in tagObject.EnumerateObject())
                        {
                            tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
                        }
                    }

                    var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray();
                    var rows = new List<IReadOnlyList<JsonElement>>();
                    if (s.TryGetProperty("values", out var values))
                    {
                        foreach (var row in values.EnumerateArray())
                        {
                            rows.Add(row.EnumerateArray().Select(v => v.Clone()).ToArray());
                        }
                    }

                    var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                    series.Add(new InfluxSeries(name, tags, columns, rows));
                }
            }
        }

        return new InfluxQueryResult(series);
    }
}
