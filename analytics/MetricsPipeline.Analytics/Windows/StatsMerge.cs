using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Folds the statistics of several windows of one field into one, without raw points: counts and sums add, min/max
/// combine, the variance merges with Chan et al.'s parallel formula, first/last go by event time, counter increases
/// add (plus the step between consecutive windows, with reset handling), and the sketches merge exactly.
/// Not thread-safe.
/// </summary>
internal sealed class StatsMerge
{
    private IQuantileSketch? _sketch;
    private long _count;
    private double _sum;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private double _mean;
    private double _m2;
    private long _firstNs = long.MaxValue;
    private double _first;
    private long _lastNs = long.MinValue;
    private double _last;
    private double _increase;
    private bool _isCounter;

    public long Count => _count;

    /// <summary>The merged sketch (null when no input carried one); owned by this object.</summary>
    public IQuantileSketch? Sketch => _sketch;

    public void Add(WindowFieldStats stats)
    {
        if (stats.Count == 0)
        {
            return;
        }

        if (stats.Sketch is { } sketch)
        {
            _sketch ??= sketch is ExactQuantiles ? new ExactQuantiles() : new DDSketch();
            _sketch.Merge(sketch);
        }

        var n = _count + stats.Count;
        var mean = stats.Sum / stats.Count;
        var delta = mean - _mean;
        _m2 += stats.M2 + (delta * delta * _count * stats.Count / n);
        _mean += delta * stats.Count / n;
        _count = n;
        _sum += stats.Sum;
        _min = Math.Min(_min, stats.Min);
        _max = Math.Max(_max, stats.Max);
        _isCounter |= stats.IsCounter;
        if (stats.FirstNs >= _lastNs && _lastNs != long.MinValue)
        {
            // The step from the previous window's last value to this one's first, with the same reset rule.
            _increase += stats.First >= _last ? stats.First - _last : stats.First;
        }

        _increase += stats.Increase;
        if (stats.FirstNs < _firstNs)
        {
            _firstNs = stats.FirstNs;
            _first = stats.First;
        }

        if (stats.LastNs >= _lastNs)
        {
            _lastNs = stats.LastNs;
            _last = stats.Last;
        }
    }

    /// <summary>The merged statistics; <paramref name="handOverSketch"/> gives the result this object's sketch (no copy).</summary>
    public WindowFieldStats ToStats(string field, IList<double> quantiles, bool handOverSketch)
    {
        var values = new double[quantiles.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _sketch?.GetQuantile(quantiles[i]) ?? double.NaN;
        }

        IQuantileSketch? sketch = _sketch;
        if (!handOverSketch && sketch is not null)
        {
            var copy = sketch is ExactQuantiles ? (IQuantileSketch)new ExactQuantiles() : new DDSketch();
            copy.Merge(sketch);
            sketch = copy;
        }

        return new WindowFieldStats(field, _count, _sum, _min, _max, values)
        {
            M2 = _m2,
            FirstNs = _firstNs,
            First = _first,
            LastNs = _lastNs,
            Last = _last,
            IsCounter = _isCounter,
            Increase = _isCounter ? _increase : 0,
            Sketch = sketch,
        };
    }
}
