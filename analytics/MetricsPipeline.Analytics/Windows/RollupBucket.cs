namespace MetricsPipeline.Analytics.Windows;

/// <summary>One open rollup window of one series: a <see cref="StatsMerge"/> per field. Not thread-safe.</summary>
internal sealed class RollupBucket(int seriesId, string measurement, IReadOnlyList<KeyValuePair<string, string>> tags, long startNs)
{
    private readonly List<(string Field, StatsMerge Merge)> _fields = [];

    public int SeriesId => seriesId;

    public long StartNs => startNs;

    public void Add(WindowResult window)
    {
        foreach (var stats in window.Fields)
        {
            Find(stats.Field).Add(stats);
        }
    }

    public WindowResult ToResult(RollupLevel level, IList<double> quantiles)
    {
        var fields = _fields.Select(f => f.Merge.ToStats(f.Field, quantiles, handOverSketch: true)).ToList();
        return new WindowResult(seriesId, measurement, tags, level.Size, startNs, fields) { RetentionPolicy = level.RetentionPolicy };
    }

    private StatsMerge Find(string field)
    {
        foreach (var (name, merge) in _fields)
        {
            if (name == field)
            {
                return merge;
            }
        }

        var created = new StatsMerge();
        _fields.Add((field, created));
        return created;
    }
}
