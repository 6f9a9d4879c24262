using MetricsPipeline.Anomaly.Numerics;

namespace MetricsPipeline.Anomaly.Streaming;

/// <summary>
/// The expected value and bounds of a series from its recent history: the median of the last <c>capacity</c> values
/// and median ± k·1.4826·MAD (the MAD taken around that median). Robust, so one spike moves neither. O(capacity log
/// capacity) per value, no allocation. Not thread-safe.
/// </summary>
public sealed class RobustBaseline
{
    private readonly DoubleRing _values;
    private readonly double[] _sorted;
    private readonly double[] _deviations;
    private readonly double _k;
    private readonly int _minimum;

    /// <summary>Creates a baseline over the last <paramref name="capacity"/> values.</summary>
    /// <param name="capacity">History length (at least 3).</param>
    /// <param name="k">Bound half-width in robust standard deviations.</param>
    /// <param name="minimum">Values needed before an expected value is reported (at least 1).</param>
    public RobustBaseline(int capacity, double k, int minimum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, 1);
        _values = new DoubleRing(capacity);
        _sorted = new double[capacity];
        _deviations = new double[capacity];
        _k = k;
        _minimum = Math.Min(minimum, capacity);
    }

    /// <summary>How many values the history holds.</summary>
    public int Count => _values.Count;

    /// <summary>
    /// Returns (expected, lower, upper) from the history before <paramref name="value"/>, then adds it. NaN values are
    /// not added; before <c>minimum</c> values all three are NaN.
    /// </summary>
    public (double Expected, double Lower, double Upper) Observe(double value)
    {
        var result = (double.NaN, double.NaN, double.NaN);
        var n = _values.Count;
        if (n >= _minimum)
        {
            var sorted = _sorted.AsSpan(0, n);
            _values.CopyTo(sorted);
            sorted.Sort();
            var median = Median(sorted);
            for (var i = 0; i < n; i++)
            {
                _deviations[i] = Math.Abs(sorted[i] - median);
            }

            var deviations = _deviations.AsSpan(0, n);
            deviations.Sort();
            var mad = Median(deviations);
            var half = _k * 1.4826 * mad;
            result = (median, median - half, median + half);
        }

        if (!double.IsNaN(value))
        {
            _values.Add(value);
        }

        return result;
    }

    private static double Median(ReadOnlySpan<double> sorted)
    {
        var n = sorted.Length;
        return (n & 1) == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }
}
