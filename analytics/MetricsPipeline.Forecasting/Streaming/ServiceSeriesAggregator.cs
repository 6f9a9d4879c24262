using MetricsPipeline.Forecasting.History;

namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>
/// Turns window rows into forecast-series values: selects the configured (measurement, field, window), takes the
/// statistic, and combines the members of each group that share a window start (a service's instances close the same
/// window in the same batch, because a batch closes everything the watermark passed). Used by the stream and the
/// retraining job alike, so both see the same series. Thread-safe (stateless after construction).
/// </summary>
public sealed class ServiceSeriesAggregator
{
    private readonly IReadOnlyList<ForecastSeriesOptions> _series;
    private readonly Dictionary<string, int> _quantileIndex;

    /// <summary>Creates the aggregator.</summary>
    /// <param name="series">The configured series (validated here).</param>
    /// <param name="quantileNames">The names of the rows' quantiles, in order (e.g. <c>p50, p90, p95, p99</c>).</param>
    public ServiceSeriesAggregator(IReadOnlyList<ForecastSeriesOptions> series, IReadOnlyList<string> quantileNames)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(quantileNames);
        _series = series;
        _quantileIndex = quantileNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        foreach (var s in series)
        {
            s.Validate();
            if (Statistic(s.Statistic) == -99)
            {
                throw new ArgumentException($"Analytics:Forecasting:Series ({s.Source}): unknown statistic '{s.Statistic}' (use mean, sum, count, min, max or one of {string.Join(", ", quantileNames)}).");
            }
        }
    }

    /// <summary>The configured series.</summary>
    public IReadOnlyList<ForecastSeriesOptions> Series => _series;

    /// <summary>
    /// Combines <paramref name="rows"/> into one observation per (series, group, window start), ordered by window
    /// start. Rows that no series selects are skipped; NaN statistics are left out of the combination.
    /// </summary>
    public List<SeriesObservation> Aggregate(IEnumerable<WindowHistoryRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var acc = new Dictionary<(int Series, string Key, long StartNs), (string Group, double Value, int Count)>();
        foreach (var row in rows)
        {
            for (var s = 0; s < _series.Count; s++)
            {
                var config = _series[s];
                if (!string.Equals(row.Field, config.Field, StringComparison.Ordinal)
                    || !string.Equals(row.Measurement, config.Measurement, StringComparison.Ordinal)
                    || !string.Equals(row.Window, config.Window, StringComparison.Ordinal))
                {
                    continue;
                }

                var value = Take(row, Statistic(config.Statistic));
                if (double.IsNaN(value))
                {
                    continue;
                }

                string group, key;
                if (string.IsNullOrEmpty(config.GroupBy))
                {
                    group = string.Empty;
                    key = $"{config.Source}|{WindowHistorySchema.FormatTags(row.Tags)}";
                }
                else
                {
                    group = row.Tag(config.GroupBy) ?? string.Empty;
                    key = $"{config.Source}|{config.GroupBy}={group}";
                }

                var id = (s, key, row.StartNs);
                acc[id] = acc.TryGetValue(id, out var cur)
                    ? (group, Combine(config.Combine, cur.Value, value), cur.Count + 1)
                    : (group, value, 1);
            }
        }

        var result = new List<SeriesObservation>(acc.Count);
        foreach (var ((s, key, start), (group, value, count)) in acc)
        {
            var v = _series[s].Combine == CombineMethod.Mean ? value / count : value;
            result.Add(new SeriesObservation(s, group, key, start, v));
        }

        result.Sort((a, b) => a.StartNs != b.StartNs ? a.StartNs.CompareTo(b.StartNs) : string.CompareOrdinal(a.SeriesKey, b.SeriesKey));
        return result;
    }

    private static double Combine(CombineMethod method, double current, double value) => method switch
    {
        CombineMethod.Max => Math.Max(current, value),
        CombineMethod.Min => Math.Min(current, value),
        _ => current + value, // Sum, and Mean divides at the end
    };

    private int Statistic(string name) => name switch
    {
        "mean" => -1,
        "sum" => -2,
        "count" => -3,
        "min" => -4,
        "max" => -5,
        _ => _quantileIndex.TryGetValue(name, out var i) ? i : -99,
    };

    private static double Take(WindowHistoryRecord row, int statistic) => statistic switch
    {
        -1 => row.Mean,
        -2 => row.Sum,
        -3 => row.Count,
        -4 => row.Min,
        -5 => row.Max,
        _ => statistic < row.Quantiles.Length ? row.Quantiles[statistic] : double.NaN,
    };
}
