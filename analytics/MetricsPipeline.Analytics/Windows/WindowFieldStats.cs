using MetricsPipeline.Analytics.Sketches;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>The statistics of one field over one closed window (or a rollup or sliding range of windows).</summary>
/// <param name="Field">The source field name.</param>
/// <param name="Count">How many values the window received.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Quantiles">One value per configured quantile, in the configured order (DDSketch estimates within
/// ±1% relative error by default; exact in <see cref="WindowOptions.Exact"/> mode).</param>
public sealed record WindowFieldStats(string Field, long Count, double Sum, double Min, double Max, double[] Quantiles)
{
    /// <summary>The arithmetic mean, <see cref="Sum"/> / <see cref="Count"/>.</summary>
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>Welford's sum of squared deviations from the mean (kept so that windows merge exactly).</summary>
    public double M2 { get; init; }

    /// <summary>The sample variance, M2 / (Count − 1); 0 for a single value (Telegraf's <c>s2</c>).</summary>
    public double Variance => Count > 1 ? M2 / (Count - 1) : 0;

    /// <summary>The sample standard deviation, √<see cref="Variance"/>.</summary>
    public double StdDev => Math.Sqrt(Variance);

    /// <summary>Event time (Unix ns) of the earliest value.</summary>
    public long FirstNs { get; init; }

    /// <summary>The earliest value by event time.</summary>
    public double First { get; init; }

    /// <summary>Event time (Unix ns) of the latest value.</summary>
    public long LastNs { get; init; }

    /// <summary>The latest value by event time.</summary>
    public double Last { get; init; }

    /// <summary>True when the field is treated as a monotonic counter (see <see cref="WindowOptions.CounterSuffixes"/>).</summary>
    public bool IsCounter { get; init; }

    /// <summary>
    /// For counters: the increase between consecutive in-order values; a decrease is a counter reset, and then
    /// the new value itself counts as the increase. 0 for non-counters.
    /// </summary>
    public double Increase { get; init; }

    /// <summary>
    /// For counters: <see cref="Increase"/> per second of event time between the first and last value;
    /// <see cref="double.NaN"/> for non-counters or when the window holds fewer than two distinct timestamps.
    /// </summary>
    public double Rate => IsCounter && LastNs > FirstNs ? Increase / ((LastNs - FirstNs) / 1e9) : double.NaN;

    /// <summary>
    /// A copy of the window's quantile sketch (for the sizes in <see cref="WindowOptions.KeepSketchesFor"/>), used by rollups
    /// and sliding windows to merge windows without the raw points. Null otherwise.
    /// </summary>
    public IQuantileSketch? Sketch { get; init; }
}
