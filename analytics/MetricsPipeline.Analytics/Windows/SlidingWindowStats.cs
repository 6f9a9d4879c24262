namespace MetricsPipeline.Analytics.Windows;

/// <summary>The statistics of one field of one series over a sliding range ("the last 5 minutes").</summary>
/// <param name="FromNs">The range start, Unix ns (inclusive): the start of the oldest window merged.</param>
/// <param name="ToNs">The range end, Unix ns (exclusive): the end of the newest closed window the store has seen.</param>
/// <param name="Windows">How many tumbling windows were merged (fewer than the range holds when the series was silent).</param>
/// <param name="Stats">The merged statistics (count, mean, min, max, variance, quantiles in the store's configured order).</param>
public sealed record SlidingWindowStats(long FromNs, long ToNs, int Windows, WindowFieldStats Stats)
{
    /// <summary>The number of values in the range.</summary>
    public long Count => Stats.Count;

    /// <summary>The mean of the values in the range.</summary>
    public double Mean => Stats.Mean;

    /// <summary>Returns the estimate of quantile <paramref name="q"/> over the range (±1% relative error with DDSketch).</summary>
    public double Quantile(double q) => Stats.Sketch?.GetQuantile(q) ?? double.NaN;
}
