namespace MetricsPipeline.Analytics.Windows;

/// <summary>One open window of one series at one resolution: an accumulator per field. Reused once closed.</summary>
/// <remarks>
/// Memory at a million series is mostly these windows (two or three per series and resolution), so the common
/// one-field series pays for no field array: the first field's accumulator is held directly, further ones in an
/// array created when a second field appears. Windows are chained through <see cref="Next"/> into their series'
/// open and spare lists instead of each series holding List and Stack objects.
/// </remarks>
internal sealed class OpenWindow
{
    private readonly bool _exact;
    private FieldAccumulator? _first;
    private FieldAccumulator?[]? _more;

    public OpenWindow(bool exact) => _exact = exact;

    public long StartNs { get; set; }

    public int Resolution { get; set; }

    /// <summary>Late-update path: changed since it was last emitted.</summary>
    public bool Dirty { get; set; }

    /// <summary>Late-update path: how many times it has been emitted, minus one.</summary>
    public int Revision { get; set; }

    /// <summary>The next window in the series' open list (per resolution) or spare list; null at the end.</summary>
    public OpenWindow? Next { get; set; }

    /// <summary>The previous window in its series' open list (newer start), so a closing window unlinks in O(1).</summary>
    public OpenWindow? Prev { get; set; }

    public FieldAccumulator Field(int index)
    {
        if (index == 0 && _first is { } first)
        {
            return first;
        }

        return FieldSlow(index);
    }

    public FieldAccumulator? PeekField(int index)
    {
        if (index == 0)
        {
            return _first;
        }

        var more = _more;
        return more is not null && index - 1 < more.Length ? more[index - 1] : null;
    }

    public void Reset()
    {
        _first?.Reset();
        if (_more is { } more)
        {
            foreach (var field in more)
            {
                field?.Reset();
            }
        }

        Dirty = false;
        Revision = 0;
    }

    private FieldAccumulator FieldSlow(int index)
    {
        if (index == 0)
        {
            return _first = new FieldAccumulator(_exact);
        }

        var slot = index - 1;
        if (_more is null || slot >= _more.Length)
        {
            Array.Resize(ref _more, Math.Max(slot + 1, (_more?.Length ?? 0) * 2));
        }

        return _more[slot] ??= new FieldAccumulator(_exact);
    }
}
