namespace MetricsPipeline.Analytics.Windows;

/// <summary>One open window of one series at one resolution: an accumulator per field. Reused once closed.</summary>
internal sealed class OpenWindow
{
    private FieldAccumulator?[] _fields = new FieldAccumulator?[4];

    public long StartNs { get; set; }

    public int Resolution { get; set; }

    public int FieldSlots => _fields.Length;

    public FieldAccumulator Field(int index)
    {
        if (index >= _fields.Length)
        {
            Array.Resize(ref _fields, Math.Max(index + 1, _fields.Length * 2));
        }

        return _fields[index] ??= new FieldAccumulator();
    }

    public FieldAccumulator? PeekField(int index) => index < _fields.Length ? _fields[index] : null;

    public void Reset()
    {
        foreach (var field in _fields)
        {
            field?.Reset();
        }
    }
}
