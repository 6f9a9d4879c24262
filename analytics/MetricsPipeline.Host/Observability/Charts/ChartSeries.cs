namespace MetricsPipeline.Host.Observability.Charts;

/// <summary>Groups points into time series: one value per timestamp, combining the points that share it.</summary>
public static class ChartSeries
{
    /// <summary>
    /// Series of <paramref name="field"/> per value of tag <paramref name="groupBy"/> (null: one series), the points
    /// at one timestamp summed (<paramref name="sum"/>) or averaged; ordered by time.
    /// </summary>
    public static SortedDictionary<string, (double[] X, double[] Y)> Build(IEnumerable<ChartPoint> points, string field, string? groupBy, bool sum)
    {
        var groups = new SortedDictionary<string, SortedDictionary<DateTime, (double Sum, int Count)>>(StringComparer.Ordinal);
        foreach (var p in points)
        {
            if (!p.Fields.TryGetValue(field, out var value))
            {
                continue;
            }

            var key = groupBy is null ? field : p.Tags.GetValueOrDefault(groupBy, "(none)");
            if (!groups.TryGetValue(key, out var byTime))
            {
                groups[key] = byTime = [];
            }

            var (s, c) = byTime.GetValueOrDefault(p.Time);
            byTime[p.Time] = (s + value, c + 1);
        }

        var result = new SortedDictionary<string, (double[] X, double[] Y)>(StringComparer.Ordinal);
        foreach (var (key, byTime) in groups)
        {
            result[key] = (
                byTime.Keys.Select(t => t.ToOADate()).ToArray(),
                byTime.Values.Select(v => sum ? v.Sum : v.Sum / v.Count).ToArray());
        }

        return result;
    }
}
