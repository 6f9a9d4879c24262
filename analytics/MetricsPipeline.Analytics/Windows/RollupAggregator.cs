namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Rolls closed tumbling windows up into coarser resolutions (by default 1 min → 5 min → 1 h) by merging their
/// sketches and moments (<see cref="WindowFieldStats"/>), never by recomputing from raw points. A rollup window closes
/// when the window stage's <see cref="AggregateBatch.ClosedThroughNs"/> passes its end, and is emitted with its
/// level's <see cref="WindowResult.RetentionPolicy"/>; it then feeds the next level. Needs the source windows to carry
/// sketches (<see cref="WindowOptions.KeepSketchesFor"/> includes the source size, as by default).
/// Corrections (<see cref="WindowResult.Revision"/> &gt; 0) are not folded in (their first version already was);
/// they are counted in <see cref="CorrectionsIgnored"/>. Not thread-safe: one caller (the Rx stage).
/// </summary>
public sealed class RollupAggregator
{
    private readonly RollupOptions _options;
    private readonly long[] _sizesNs;
    private readonly Dictionary<(int SeriesId, long StartNs), RollupBucket>[] _open;
    private readonly SortedDictionary<long, List<RollupBucket>>[] _closing;

    /// <summary>Creates the stage.</summary>
    /// <param name="options">Rollup settings; validated here.</param>
    public RollupAggregator(RollupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _sizesNs = options.Levels.Select(l => l.Size.Ticks * 100).ToArray();
        _open = _sizesNs.Select(_ => new Dictionary<(int, long), RollupBucket>()).ToArray();
        _closing = _sizesNs.Select(_ => new SortedDictionary<long, List<RollupBucket>>()).ToArray();
    }

    /// <summary>Corrected source windows that were not folded into rollups.</summary>
    public long CorrectionsIgnored { get; private set; }

    /// <summary>Rollup windows currently open, over all levels.</summary>
    public int OpenWindows => _open.Sum(o => o.Count);

    /// <summary>
    /// Folds the source-size windows of <paramref name="windows"/> into the first level, then closes (and cascades)
    /// every rollup window ending at or before <paramref name="closedThroughNs"/>. Returns the closed rollup windows,
    /// finest level first.
    /// </summary>
    public IReadOnlyList<WindowResult> Add(IReadOnlyList<WindowResult> windows, long closedThroughNs)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var results = new List<WindowResult>();
        if (_sizesNs.Length == 0)
        {
            return results;
        }

        foreach (var window in windows)
        {
            if (window.Size != _options.Source.Size)
            {
                continue;
            }

            if (window.Revision > 0)
            {
                CorrectionsIgnored++;
                continue;
            }

            Fold(0, window);
        }

        for (var level = 0; level < _sizesNs.Length; level++)
        {
            var queue = _closing[level];
            while (queue.Count > 0)
            {
                var end = queue.Keys.First();
                if (end > closedThroughNs)
                {
                    break;
                }

                foreach (var bucket in queue[end])
                {
                    _open[level].Remove((bucket.SeriesId, bucket.StartNs));
                    var result = bucket.ToResult(_options.Levels[level], _options.Quantiles);
                    results.Add(result);
                    if (level + 1 < _sizesNs.Length)
                    {
                        Fold(level + 1, result);
                    }
                }

                queue.Remove(end);
            }
        }

        return results;
    }

    /// <summary>Closes every open rollup window (shutdown): partial rollups are emitted rather than lost.</summary>
    public IReadOnlyList<WindowResult> Drain() => Add([], long.MaxValue);

    private void Fold(int level, WindowResult window)
    {
        var size = _sizesNs[level];
        var start = WindowAggregator.FloorTo(window.StartNs, size);
        var key = (window.SeriesId, start);
        if (!_open[level].TryGetValue(key, out var bucket))
        {
            bucket = new RollupBucket(window.SeriesId, window.Measurement, window.Tags, start);
            _open[level][key] = bucket;
            var end = start + size;
            if (!_closing[level].TryGetValue(end, out var list))
            {
                list = [];
                _closing[level][end] = list;
            }

            list.Add(bucket);
        }

        bucket.Add(window);
    }
}
