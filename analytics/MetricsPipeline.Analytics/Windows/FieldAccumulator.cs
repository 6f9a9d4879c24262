using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// The running statistics of one field of one series in one window: count, sum, min, max, the moments for the
/// variance (Welford), first and last by event time, the increase of a counter (with reset handling) and a
/// quantile sketch. Reused across windows (<see cref="Reset"/> keeps the sketch's buffers), so steady state
/// allocates nothing. Not thread-safe.
/// </summary>
internal sealed class FieldAccumulator
{
    private readonly IQuantileSketch _sketch;

    public FieldAccumulator(bool exact) => _sketch = exact ? new ExactQuantiles() : new DDSketch();

    public IQuantileSketch Sketch => _sketch;

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
        _sketch.Add(value);
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

    public void Reset()
    {
        _sketch.Clear();
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
}
