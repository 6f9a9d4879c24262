namespace MetricsPipeline.Anomaly.Numerics;

/// <summary>
/// The last <c>capacity</c> values kept both in arrival order and sorted, for O(1) quantiles. An update is one binary
/// search plus one memmove of at most <c>capacity</c> doubles; nothing is allocated.
/// </summary>
internal sealed class SortedWindow
{
    private readonly Ring<double> _arrival;
    private readonly double[] _sorted;

    public SortedWindow(int capacity)
    {
        _arrival = new Ring<double>(capacity);
        _sorted = new double[capacity];
    }

    public int Count => _arrival.Count;

    public bool IsFull => _arrival.IsFull;

    /// <summary>The values in ascending order.</summary>
    public ReadOnlySpan<double> Sorted => _sorted.AsSpan(0, _arrival.Count);

    public void Add(double value)
    {
        var count = _arrival.Count;
        var evicted = _arrival.Add(value);
        if (!double.IsNaN(evicted))
        {
            var at = Array.BinarySearch(_sorted, 0, count, evicted);
            Array.Copy(_sorted, at + 1, _sorted, at, count - at - 1);
            count--;
        }

        var pos = Array.BinarySearch(_sorted, 0, count, value);
        if (pos < 0)
        {
            pos = ~pos;
        }

        Array.Copy(_sorted, pos, _sorted, pos + 1, count - pos);
        _sorted[pos] = value;
    }

    /// <summary>The q-quantile (0 ≤ q ≤ 1) by linear interpolation; NaN when empty.</summary>
    public double Quantile(double q)
    {
        var count = _arrival.Count;
        if (count == 0)
        {
            return double.NaN;
        }

        var position = q * (count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, count - 1);
        var t = position - lower;
        return _sorted[lower] + ((_sorted[upper] - _sorted[lower]) * t);
    }

    /// <summary>The number of values in the window that are ≥ <paramref name="threshold"/>.</summary>
    public int CountAtLeast(double threshold)
    {
        var count = _arrival.Count;
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_sorted[mid] < threshold)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return count - lo;
    }

    /// <summary>The number of values in the window that are ≤ <paramref name="threshold"/>.</summary>
    public int CountAtMost(double threshold)
    {
        var count = _arrival.Count;
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_sorted[mid] <= threshold)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public void Clear() => _arrival.Clear();

    public void Save(BinaryWriter writer) => _arrival.Save(writer);

    public void Restore(BinaryReader reader)
    {
        var copy = new Ring<double>(_arrival.Capacity);
        copy.Restore(reader);
        _arrival.Clear();
        for (var i = 0; i < copy.Count; i++)
        {
            Add(copy[i]);
        }
    }
}
