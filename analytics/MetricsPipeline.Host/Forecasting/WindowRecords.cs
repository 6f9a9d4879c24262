using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.History;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>Turns closed windows into window-history rows (one per numeric field).</summary>
internal sealed class WindowRecords
{
    private readonly Dictionary<TimeSpan, string> _sizeNames = [];

    /// <summary>The window tag of <paramref name="size"/> (cached).</summary>
    public string SizeName(TimeSpan size)
    {
        if (!_sizeNames.TryGetValue(size, out var name))
        {
            name = WindowOptions.FormatSize(size);
            _sizeNames[size] = name;
        }

        return name;
    }

    /// <summary>The rows of every window in <paramref name="windows"/> for which <paramref name="keep"/> (measurement, field, window) holds.</summary>
    public List<WindowHistoryRecord> From(IReadOnlyList<WindowResult> windows, Func<string, string, string, bool>? keep = null)
    {
        var rows = new List<WindowHistoryRecord>();
        foreach (var w in windows)
        {
            var size = SizeName(w.Size);
            foreach (var f in w.Fields)
            {
                if (keep is null || keep(w.Measurement, f.Field, size))
                {
                    rows.Add(new WindowHistoryRecord(w.StartNs, size, w.Measurement, w.Tags, f.Field, f.Count, f.Sum, f.Min, f.Max, f.Quantiles));
                }
            }
        }

        return rows;
    }
}
