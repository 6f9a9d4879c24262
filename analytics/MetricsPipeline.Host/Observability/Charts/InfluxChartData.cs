using System.Text.Json;

namespace MetricsPipeline.Host.Observability.Charts;

/// <summary>
/// Reads points with InfluxQL (<c>SELECT * FROM "m"</c>) over the v1 <c>/query</c> API, which InfluxDB 1.x, 2.x (DBRP)
/// and 3.x serve. String columns are taken as tags, numbers as fields.
/// </summary>
public sealed class InfluxChartData(HttpClient http, string url, string database, string? token) : IChartData
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ChartPoint>> LoadAsync(string measurement, string? window, CancellationToken ct)
    {
        var q = $"SELECT * FROM \"{measurement}\"" + (window is null ? string.Empty : $" WHERE \"window\" = '{window}'");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url.TrimEnd('/')}/query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(q)}");
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Token " + token);
        }

        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxDB answered HTTP {(int)response.StatusCode}: {body}");
        }

        var points = new List<ChartPoint>();
        using var document = JsonDocument.Parse(body);
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException("InfluxDB query failed: " + error.GetString());
            }

            if (!result.TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                foreach (var row in s.GetProperty("values").EnumerateArray())
                {
                    var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                    var fields = new Dictionary<string, double>(StringComparer.Ordinal);
                    var time = DateTime.UnixEpoch;
                    var i = 0;
                    foreach (var cell in row.EnumerateArray())
                    {
                        var column = columns[i++];
                        if (column == "time")
                        {
                            time = DateTime.UnixEpoch.AddMilliseconds(cell.GetInt64());
                        }
                        else if (cell.ValueKind == JsonValueKind.Number)
                        {
                            fields[column] = cell.GetDouble();
                        }
                        else if (cell.ValueKind == JsonValueKind.String)
                        {
                            tags[column] = cell.GetString()!;
                        }
                    }

                    points.Add(new ChartPoint(tags, fields, time));
                }
            }
        }

        return points;
    }
}
