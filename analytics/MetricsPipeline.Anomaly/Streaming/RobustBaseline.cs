using MetricsPipeline.Anomaly.Numerics;

namespace MetricsPipeline.Anomaly.Streaming;

/// <summary>
/// The expected value and bounds of a series from its recent history: the median of the last <c>capacity</c> values
/// and median ± k·1.4826·MAD (the MAD taken around that median). Robust, so one spike moves neither. The history is
/// kept sorted (one binary search and memmove per value) and the MAD is read by merging the deviations on either side
/// of the median outwards, so a step is O(capacity) with no sort and no allocation. Not thread-safe.
/// </summary>
public sealed partial class RobustBaseline
{
    private readonly SortedWindow _values;
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
        _values = new SortedWindow(capacity);
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
        if (_values.Count >= _minimum)
        {
            var sorted = _values.Sorted;
            var median = Median(sorted);
            var half = _k * 1.4826 * MedianAbsoluteDeviation(sorted, median);
            result = (median, median - half, median + half);
        }

        if (!double.IsNaN(value))
        {
            _values.Add(value);
        }

        return result;
    }

    /// <summary>The median of |x − median| over ascending <paramref name="sorted"/>, by an outward two-pointer merge.</summary>
    internal static double MedianAbsoluteDeviation(ReadOnlySpan<double> sorted, double median)
    {
        var n = sorted.Length;
        var low = (n - 1) / 2;
        var high = n / 2;
        var down = low;
        while (down >= 0 && sorted[down] > median)
        {
            down--;
        }

        var up = down + 1;
        double lowValue = 0;
        for (var rank = 0; rank <= high; rank++)
        {
            double d;
            if (up >= n || (down >= 0 && median - sorted[down] <= sorted[up] - median))
            {
                d = median - sorted[down--];
            }
            else
            {
                d = sorted[up++] - median;
            }

            if (rank == low)
            {
                lowValue = d;
            }

            if (rank == high)
            {
                return low == high ? d : 0.5 * (lowValue + d);
            }
        }

        return lowValue;
    }

    private static double Median(ReadOnlySpan<double> sorted)
    {
        var n = sorted.Length;
        return (n & 1) == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }
}
