namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Values with timestamps kept for a sliding time window (mean and max over it). Values are added in time order.
/// Not thread-safe.
/// </summary>
internal sealed partial class TimedWindow(TimeSpan length)
{
    private readonly Queue<(DateTimeOffset Time, double Value)> _items = new();
    private double _sum;

    public int Count => _items.Count;

    public DateTimeOffset? Oldest => _items.Count == 0 ? null : _items.Peek().Time;

    /// <summary>Adds a value and drops the ones older than the window (relative to <paramref name="time"/>).</summary>
    public void Add(DateTimeOffset time, double value)
    {
        Trim(time);
        if (double.IsNaN(value))
        {
            return;
        }

        _items.Enqueue((time, value));
        _sum += value;
    }

    /// <summary>Drops values strictly older than <paramref name="now"/> − length.</summary>
    public void Trim(DateTimeOffset now)
    {
        while (_items.Count > 0 && _items.Peek().Time < now - length)
        {
            _sum -= _items.Dequeue().Value;
        }

        if (_items.Count == 0)
        {
            _sum = 0; // drop accumulated rounding error
        }
    }

    public double Mean => _items.Count == 0 ? double.NaN : _sum / _items.Count;

    public double Max()
    {
        double max = double.NegativeInfinity;
        foreach (var item in _items)
        {
            max = Math.Max(max, item.Value);
        }

        return _items.Count == 0 ? double.NaN : max;
    }

    public void Clear()
    {
        _items.Clear();
        _sum = 0;
    }
}
