namespace MetricsPipeline.Analytics.Windows;

/// <summary>One open window of one series at one resolution: an accumulator per field. Reused once closed.</summary>
internal sealed class OpenWindow
{
    private readonly bool _exact;
    // One slot to start with (most series have one field); FieldSlow grows it.
    private FieldAccumulator?[] _fields = new FieldAccumulator?[1];

    public OpenWindow(bool exact) => _exact = exact;

    public long StartNs { get; set; }

    public int Resolution { get; set; }

    /// <summary>Late-update path: changed since it was last emitted.</summary>
    public bool Dirty { get; set; }

    /// <summary>Late-update path: how many times it has been emitted, minus one.</summary>
    public int Revision { get; set; }

    public FieldAccumulator Field(int index)
    {
        var fields = _fields;
        if ((uint)index < (uint)fields.Length && fields[index] is { } existing)
        {
            return existing;
        }

        return FieldSlow(index);
    }

    public FieldAccumulator? PeekField(int index) => index < _fields.Length ? _fields[index] : null;

    public void Reset()
    {
        foreach (var field in _fields)
        {
            field?.Reset();
        }

        Dirty = false;
        Revision = 0;
    }

    private FieldAccumulator FieldSlow(int index)
    {
        if (index >= _fields.Length)
        {
            Array.Resize(ref _fields, Math.Max(index + 1, _fields.Length * 2));
        }

        return _fields[index] ??= new FieldAccumulator(_exact);
    }
}
