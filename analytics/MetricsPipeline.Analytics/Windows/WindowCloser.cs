using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// The window stage's bookkeeping of open and recently closed windows: which windows end when (so closing is a walk
/// over the due ones, not a scan of every series), turning a closed window into a <see cref="WindowResult"/>, and
/// the opt-in late-update path (closed windows retained for the horizon, corrected and re-emitted).
/// Not thread-safe: owned by <see cref="WindowAggregator"/>.
/// </summary>
internal sealed class WindowCloser
{
    private readonly WindowOptions _options;
    private readonly SortedDictionary<long, List<(SeriesState Series, OpenWindow Window)>>[] _closing;
    private readonly Stack<List<(SeriesState, OpenWindow)>> _spareLists = new();
    private readonly Queue<(long EndNs, SeriesState Series, OpenWindow Window)>[] _retained;
    private readonly List<(SeriesState Series, OpenWindow Window)> _dirty = [];
    private readonly bool[] _keepSketch;

    public WindowCloser(WindowOptions options, int resolutions)
    {
        _options = options;
        _keepSketch = options.Sizes.Select(s => options.KeepSketchesFor.Contains(s)).ToArray();
        _closing = new SortedDictionary<long, List<(SeriesState, OpenWindow)>>[resolutions];
        _retained = new Queue<(long, SeriesState, OpenWindow)>[resolutions];
        for (var i = 0; i < resolutions; i++)
        {
            _closing[i] = new SortedDictionary<long, List<(SeriesState, OpenWindow)>>();
            _retained[i] = new Queue<(long, SeriesState, OpenWindow)>();
        }
    }

    private bool RetainClosed => _options.LateUpdateHorizon > TimeSpan.Zero;

    /// <summary>Finds or opens the window of <paramref name="series"/> at a resolution starting at <paramref name="start"/>.</summary>
    public OpenWindow OpenFor(SeriesState series, int resolution, long start, long end)
    {
        // Newest start first (SeriesState.AddOpen): stop at the first older window.
        for (var open = series.Open[resolution]; open is not null && open.StartNs >= start; open = open.Next)
        {
            if (open.StartNs == start)
            {
                return open;
            }
        }

        var window = series.PopSpare() ?? new OpenWindow(_options.Exact);
        window.StartNs = start;
        window.Resolution = resolution;
        series.AddOpen(window);
        var queue = _closing[resolution];
        if (!queue.TryGetValue(end, out var closingList))
        {
            closingList = _spareLists.Count > 0 ? _spareLists.Pop() : [];
            queue[end] = closingList;
        }

        closingList.Add((series, window));
        return window;
    }

    /// <summary>
    /// Closes windows ending at or before <paramref name="targetNs"/>, appending one result each, but at most
    /// <paramref name="maxResults"/>; returns true when none is left. The rest stay queued and are closed by the next
    /// call, so a close of a million windows never holds a million results at once. A partly closed end time keeps its
    /// list, consumed from the back.
    /// </summary>
    public bool CloseThrough(long targetNs, string?[] retentionPolicies, List<WindowResult> results, int maxResults)
    {
        var budget = maxResults;
        for (var r = 0; r < _closing.Length; r++)
        {
            var queue = _closing[r];
            while (queue.Count > 0)
            {
                var (end, due) = FirstOf(queue);
                if (end > targetNs)
                {
                    break;
                }

                while (due.Count > 0)
                {
                    if (budget == 0)
                    {
                        return false;
                    }

                    var (series, window) = due[^1];
                    due.RemoveAt(due.Count - 1);
                    budget--;
                    results.Add(Build(series, window, retentionPolicies[r], 0));
                    series.RemoveOpen(window);
                    if (RetainClosed)
                    {
                        series.Retained ??= new List<OpenWindow>?[_closing.Length];
                        (series.Retained[r] ??= []).Add(window);
                        _retained[r].Enqueue((end, series, window));
                    }
                    else
                    {
                        window.Reset();
                        series.PushSpare(window);
                    }
                }

                queue.Remove(end);
                _spareLists.Push(due);
            }
        }

        return true;
    }

    /// <summary>
    /// Drops every open window of <paramref name="series"/> without emitting it (its partition moved to another
    /// instance, which rebuilds them); returns how many. <paramref name="sizesNs"/> are the resolutions' sizes.
    /// </summary>
    public int Discard(SeriesState series, long[] sizesNs)
    {
        var discarded = 0;
        for (var r = 0; r < _closing.Length; r++)
        {
            var window = series.Open[r];
            series.Open[r] = null;
            while (window is not null)
            {
                var next = window.Next;
                var end = window.StartNs + sizesNs[r];
                if (_closing[r].TryGetValue(end, out var due))
                {
                    var index = due.FindIndex(e => ReferenceEquals(e.Window, window));
                    if (index >= 0)
                    {
                        due.RemoveAt(index);
                    }

                    if (due.Count == 0)
                    {
                        _closing[r].Remove(end);
                        _spareLists.Push(due);
                    }
                }

                window.Reset();
                series.PushSpare(window);
                discarded++;
                window = next;
            }
        }

        return discarded;
    }

    /// <summary>Adds a late value to a retained closed window, if it is still retained; marks it for re-emission.</summary>
    public bool TryLateUpdate(SeriesState series, int resolution, long start, int field, long timestampNs, double value)
    {
        var retained = series.Retained?[resolution];
        if (retained is null)
        {
            return false;
        }

        foreach (var window in retained)
        {
            if (window.StartNs == start)
            {
                window.Field(field).Add(timestampNs, value);
                if (!window.Dirty)
                {
                    window.Dirty = true;
                    _dirty.Add((series, window));
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>Appends a corrected result for every window changed by late updates; returns how many.</summary>
    public int EmitCorrections(string?[] retentionPolicies, List<WindowResult> results)
    {
        foreach (var (series, window) in _dirty)
        {
            window.Dirty = false;
            window.Revision++;
            results.Add(Build(series, window, retentionPolicies[window.Resolution], window.Revision));
        }

        var count = _dirty.Count;
        _dirty.Clear();
        return count;
    }

    /// <summary>Returns retained windows ending at or before <paramref name="releaseThroughNs"/> to their series' spares.</summary>
    public void ReleaseRetained(long releaseThroughNs)
    {
        for (var r = 0; r < _retained.Length; r++)
        {
            var queue = _retained[r];
            while (queue.Count > 0 && queue.Peek().EndNs <= releaseThroughNs)
            {
                var (_, series, window) = queue.Dequeue();
                if (window.Dirty)
                {
                    // Not emitted yet: EmitCorrections runs before release, so this cannot happen; keep it safe anyway.
                    continue;
                }

                series.Retained![r]!.Remove(window);
                window.Reset();
                series.PushSpare(window);
            }
        }
    }

    private static (long End, List<(SeriesState, OpenWindow)> Due) FirstOf(SortedDictionary<long, List<(SeriesState, OpenWindow)>> queue)
    {
        using var e = queue.GetEnumerator();
        e.MoveNext();
        return (e.Current.Key, e.Current.Value);
    }

    private WindowResult Build(SeriesState series, OpenWindow window, string? retentionPolicy, int revision)
    {
        var fields = new List<WindowFieldStats>(series.FieldCount);
        for (var i = 0; i < series.FieldCount; i++)
        {
            var acc = window.PeekField(i);
            if (acc is null || acc.Count == 0)
            {
                continue;
            }

            var quantiles = new double[_options.Quantiles.Count];
            acc.GetQuantiles(_options.Quantiles, quantiles);
            var copy = _keepSketch[window.Resolution] ? acc.CopySketch() : null;

            fields.Add(new WindowFieldStats(series.FieldName(i), acc.Count, acc.Sum, acc.Min, acc.Max, quantiles)
            {
                M2 = acc.M2,
                FirstNs = acc.FirstNs,
                First = acc.First,
                LastNs = acc.LastNs,
                Last = acc.Last,
                IsCounter = series.IsCounter(i),
                Increase = acc.Increase,
                Sketch = copy,
            });
        }

        return new WindowResult(series.Id, series.Measurement, series.Tags, _options.Sizes[window.Resolution], window.StartNs, fields)
        {
            RetentionPolicy = retentionPolicy,
            Revision = revision,
        };
    }
}
