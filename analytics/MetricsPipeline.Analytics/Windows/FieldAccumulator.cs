namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// The running statistics of one field of one series in one window: count, sum, min, max, and the values needed
/// for quantiles. Reused across windows (<see cref="Reset"/> keeps the buffer), so steady state allocates nothing.
/// Not thread-safe.
/// </summary>
internal sealed class FieldAccumulator
{
    private double[] _values = new double[16];

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public void Add(double value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = value;
        Sum += value;
        if (value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }
    }

    /// <summary>
    /// Exact quantiles by sorting: the value at rank floor(q·(n−1)) of the sorted values (the lower nearest rank).
    /// Writes one result per requested quantile.
    /// </summary>
    public void GetQuantiles(IList<double> quantiles, Span<double> results)
    {
        var n = (int)Count;
        var values = _values.AsSpan(0, n);
        values.Sort();
        for (var i = 0; i < quantiles.Count; i++)
        {
            var rank = (int)Math.Floor(quantiles[i] * (n - 1));
            results[i] = values[Math.Clamp(rank, 0, n - 1)];
        }
    }

    public void Reset()
    {
        Count = 0;
        Sum = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }
}
