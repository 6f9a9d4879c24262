using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.Output;

/// <summary>
/// Turns closed windows into InfluxDB points, following Telegraf's <c>basicstats</c> naming so dashboards feel
/// familiar: the source measurement and tags plus a <c>window</c> tag (<c>10s</c>, <c>1m</c>, …), and per source
/// field <c>&lt;field&gt;_count</c> (integer), <c>_sum</c>, <c>_min</c>, <c>_max</c>, <c>_mean</c> and one
/// <c>_pNN</c> per configured quantile; the timestamp is the window start. Thread-safe (stateless).
/// </summary>
public static class AggregatePoints
{
    /// <summary>The tag that carries the window size.</summary>
    public const string WindowTag = "window";

    /// <summary>Converts one closed window to one point.</summary>
    /// <param name="window">The window.</param>
    /// <param name="quantiles">The quantiles, in the order the window's stats carry them.</param>
    public static MetricPoint ToPoint(WindowResult window, IList<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(quantiles);
        var tags = new List<KeyValuePair<string, string>>(window.Tags.Count + 1);
        tags.AddRange(window.Tags);
        tags.Add(new(WindowTag, WindowOptions.FormatSize(window.Size)));
        var fields = new List<KeyValuePair<string, FieldValue>>(window.Fields.Count * (11 + quantiles.Count));
        foreach (var f in window.Fields)
        {
            fields.Add(new($"{f.Field}_count", FieldValue.FromInt64(f.Count)));
            fields.Add(new($"{f.Field}_sum", FieldValue.FromDouble(f.Sum)));
            fields.Add(new($"{f.Field}_min", FieldValue.FromDouble(f.Min)));
            fields.Add(new($"{f.Field}_max", FieldValue.FromDouble(f.Max)));
            fields.Add(new($"{f.Field}_mean", FieldValue.FromDouble(f.Mean)));
            fields.Add(new($"{f.Field}_stdev", FieldValue.FromDouble(f.StdDev)));
            fields.Add(new($"{f.Field}_s2", FieldValue.FromDouble(f.Variance)));
            fields.Add(new($"{f.Field}_first", FieldValue.FromDouble(f.First)));
            fields.Add(new($"{f.Field}_last", FieldValue.FromDouble(f.Last)));
            if (f.IsCounter)
            {
                fields.Add(new($"{f.Field}_increase", FieldValue.FromDouble(f.Increase)));
                if (double.IsFinite(f.Rate))
                {
                    fields.Add(new($"{f.Field}_rate", FieldValue.FromDouble(f.Rate)));
                }
            }

            for (var i = 0; i < quantiles.Count; i++)
            {
                fields.Add(new($"{f.Field}_{WindowOptions.FormatQuantile(quantiles[i])}", FieldValue.FromDouble(f.Quantiles[i])));
            }
        }

        return new MetricPoint(window.Measurement, tags, fields, window.StartNs);
    }

    /// <summary>Converts a batch of closed windows; windows with no numeric field are skipped.</summary>
    public static List<MetricPoint> ToPoints(IReadOnlyList<WindowResult> windows, IList<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var points = new List<MetricPoint>(windows.Count);
        foreach (var window in windows)
        {
            if (window.Fields.Count > 0)
            {
                points.Add(ToPoint(window, quantiles));
            }
        }

        return points;
    }
}
