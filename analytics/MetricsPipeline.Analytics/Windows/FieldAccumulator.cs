using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// The running statistics of one field of one series in one window: count, sum, min, max, the moments for the
/// variance (Welford), first and last by event time, the increase of a counter (with reset handling) and the
/// values' distribution for quantiles. Reused across windows (<see cref="Reset"/> keeps every buffer), so steady state
/// allocates nothing. Not thread-safe.
/// </summary>
/// <remarks>
/// The first <see cref="SmallCapacity"/> values of a window are kept as they are and only spill into the quantile
/// sketch (created on first need) when more arrive. Most series report every 10 s or so, giving 1 to 6 values per
/// window: their quantiles are then exact (inside the sketch's guarantee, trivially) and they never pay for a
/// sketch's bucket array (1–2 KB for latency-like data), which is what lets a million series fit in memory.
/// </remarks>
internal sealed class FieldAccumulator
{
    /// <summary>Values kept verbatim before the window switches to the sketch.</summary>
    public const int SmallCapacity = 16;

    private readonly bool _exact;
    // Created at the third value (the first two are Min and Max, whatever their order), then grows 4 → 8 → 16 and is
    // kept: a series reporting every 10 s has one value per 10 s window and pays for no array there.
    private double[]? _small;
    private IQuantileSketch? _sketch;

    public FieldAccumulator(bool exact) => _exact = exact;

    public long Count;
    public double Sum;
    public double Min = double.PositiveInfinity;
    public double Max = double.NegativeInfinity;
    public double Mean;
    public double M2;
    public long FirstNs = long.MaxValue;
    public double First;
    public long LastNs = long.MinValue;
    public double Last;
    public double Increase;

    public void Add(long timestampNs, double value)
    {
        var c = Count;
        if (c < 2)
        {
            // Nothing to store: one or two values are Min and Max (updated below).
        }
        else if (c < SmallCapacity)
        {
            if (c == 2)
            {
                _small ??= new double[4];
                _small[0] = Min;
                _small[1] = Max;
            }
            else if (c == _small!.Length)
            {
                Array.Resize(ref _small, _small.Length * 2);
            }

            _small[c] = value;
        }
        else
        {
            if (c == SmallCapacity)
            {
                Spill();
            }

            _sketch!.Add(value);
        }

        var n = ++Count;
        Sum += value;
        if (value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }

        // Welford: numerically stable single-pass variance, and mergeable (Chan et al.) for rollups.
        var delta = value - Mean;
        Mean += delta / n;
        M2 += delta * (value - Mean);
        if (timestampNs < FirstNs)
        {
            FirstNs = timestampNs;
            First = value;
        }

        if (timestampNs >= LastNs)
        {
            // Counter increase over in-order points; a drop means the counter restarted from zero, so the new
            // value itself is the increase since the restart (Prometheus' rule). Out-of-order points do not count.
            if (n > 1)
            {
                Increase += value >= Last ? value - Last : value;
            }

            LastNs = timestampNs;
            Last = value;
        }
    }

    /// <summary>Writes the value at each quantile (rank floor(q·(n−1)), the sketch's convention) to <paramref name="results"/>.</summary>
    public void GetQuantiles(IList<double> quantiles, Span<double> results)
    {
        if (Count > SmallCapacity)
        {
            for (var i = 0; i < quantiles.Count; i++)
            {
                results[i] = _sketch!.GetQuantile(quantiles[i]);
            }

            return;
        }

        Span<double> sorted = stackalloc double[SmallCapacity];
        sorted = sorted[..(int)Count];
        SmallValues(sorted);
        sorted.Sort();
        for (var i = 0; i < quantiles.Count; i++)
        {
            results[i] = Count == 0 ? double.NaN : sorted[(int)Math.Floor(quantiles[i] * (Count - 1))];
        }
    }

    /// <summary>A new sketch holding this window's values (for rollups and sliding windows).</summary>
    public IQuantileSketch CopySketch()
    {
        IQuantileSketch copy = _exact ? new ExactQuantiles() : new DDSketch();
        if (Count > SmallCapacity)
        {
            copy.Merge(_sketch!);
        }
        else
        {
            Span<double> values = stackalloc double[SmallCapacity];
            values = values[..(int)Count];
            SmallValues(values);
            copy.Add(values);
        }

        return copy;
    }

    public void Reset()
    {
        if (Count > SmallCapacity)
        {
            _sketch!.Clear();
        }

        Count = 0;
        Sum = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        Mean = 0;
        M2 = 0;
        FirstNs = long.MaxValue;
        First = 0;
        LastNs = long.MinValue;
        Last = 0;
        Increase = 0;
    }

    private void Spill()
    {
        _sketch ??= _exact ? new ExactQuantiles() : new DDSketch();
        _sketch.Add(_small.AsSpan(0, SmallCapacity));
    }

    /// <summary>Copies the window's values (Count ≤ <see cref="SmallCapacity"/>) to <paramref name="destination"/>.</summary>
    private void SmallValues(Span<double> destination)
    {
        switch (Count)
        {
            case 0:
                return;
            case 1:
                destination[0] = Min;
                return;
            case 2:
                destination[0] = Min;
                destination[1] = Max;
                return;
            default:
                _small.AsSpan(0, (int)Count).CopyTo(destination);
                return;
        }
    }
}
