namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Sliding windows for rules ("p95 over the last 5 minutes", "mean over the last hour") built from closed tumbling
/// windows of <see cref="SlidingWindowOptions.BaseSize"/> by merging their sketches and moments. The scaling stage
/// feeds it every batch of closed windows (<see cref="Add"/>) and queries per series and field (<see cref="Get"/>).
/// Corrected windows (late-update path) replace the version they correct. Memory: one window's statistics per series,
/// field and base window within the horizon (60 per field for 1 min over 1 h), so feed it only the series rules read
/// (see <see cref="Add"/>'s filter). Thread-safe: <see cref="Add"/> and <see cref="Get"/> may run on different threads.
/// </summary>
public sealed class SlidingWindowStore
{
    private readonly SlidingWindowOptions _options;
    private readonly long _horizonNs;
    private readonly Dictionary<(int SeriesId, string Field), List<(long StartNs, WindowFieldStats Stats)>> _windows = new();
    private readonly Lock _gate = new();
    private long _latestEndNs = long.MinValue;

    /// <summary>Creates the store.</summary>
    /// <param name="options">Base size, horizon and quantiles.</param>
    public SlidingWindowStore(SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BaseSize <= TimeSpan.Zero || options.Horizon < options.BaseSize)
        {
            throw new ArgumentException("Analytics:Sliding needs a positive BaseSize and a Horizon of at least one BaseSize.");
        }

        _options = options;
        _horizonNs = options.Horizon.Ticks * 100;
    }

    /// <summary>The end (Unix ns, exclusive) of the newest window seen: sliding ranges end here.</summary>
    public long LatestEndNs
    {
        get
        {
            lock (_gate)
            {
                return _latestEndNs;
            }
        }
    }

    /// <summary>
    /// Keeps the <see cref="SlidingWindowOptions.BaseSize"/> windows of <paramref name="windows"/> (those accepted by
    /// <paramref name="filter"/>, all when null) and drops windows older than the horizon. Fields without a sketch
    /// (the size is missing from <see cref="WindowOptions.KeepSketchesFor"/>) still give counts and moments.
    /// </summary>
    public void Add(IReadOnlyList<WindowResult> windows, Func<WindowResult, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var sizeNs = _options.BaseSize.Ticks * 100;
        lock (_gate)
        {
            foreach (var window in windows)
            {
                if (window.Size != _options.BaseSize || (filter is not null && !filter(window)))
                {
                    continue;
                }

                _latestEndNs = Math.Max(_latestEndNs, window.StartNs + sizeNs);
                foreach (var stats in window.Fields)
                {
                    var key = (window.SeriesId, stats.Field);
                    if (!_windows.TryGetValue(key, out var list))
                    {
                        list = [];
                        _windows[key] = list;
                    }

                    var at = list.FindIndex(w => w.StartNs == window.StartNs);
                    if (at >= 0)
                    {
                        list[at] = (window.StartNs, stats); // a correction replaces the earlier version
                    }
                    else
                    {
                        list.Add((window.StartNs, stats));
                    }
                }
            }

            var oldest = _latestEndNs - _horizonNs;
            foreach (var list in _windows.Values)
            {
                list.RemoveAll(w => w.StartNs < oldest);
            }
        }
    }

    /// <summary>
    /// The statistics of <paramref name="field"/> of series <paramref name="seriesId"/> over the last
    /// <paramref name="range"/> (rounded up to whole base windows, at most the horizon), ending at
    /// <see cref="LatestEndNs"/>; null when the store holds no window of that series and field in the range.
    /// </summary>
    public SlidingWindowStats? Get(int seriesId, string field, TimeSpan range)
    {
        ArgumentNullException.ThrowIfNull(field);
        var sizeNs = _options.BaseSize.Ticks * 100;
        var rangeNs = Math.Min((range.Ticks * 100 + sizeNs - 1) / sizeNs * sizeNs, _horizonNs);
        lock (_gate)
        {
            if (!_windows.TryGetValue((seriesId, field), out var list))
            {
                return null;
            }

            var from = _latestEndNs - rangeNs;
            var merge = new StatsMerge();
            var merged = 0;
            foreach (var (start, stats) in list.OrderBy(w => w.StartNs))
            {
                if (start >= from)
                {
                    merge.Add(stats);
                    merged++;
                }
            }

            return merged == 0 ? null : new SlidingWindowStats(from, _latestEndNs, merged, merge.ToStats(field, _options.Quantiles, handOverSketch: true));
        }
    }
}
