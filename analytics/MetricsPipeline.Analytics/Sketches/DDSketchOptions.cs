namespace MetricsPipeline.Analytics.Sketches;

/// <summary>Settings of a <see cref="DDSketch"/>; bind from configuration or set in code.</summary>
public sealed class DDSketchOptions
{
    /// <summary>
    /// Smallest accepted <see cref="RelativeAccuracy"/>. The mapping's grid is capped at 2^16 cells (128 KiB); at 1e-4 that already
    /// costs 7% more buckets than ideal, and the excess grows quickly below it.
    /// </summary>
    public const double MinRelativeAccuracy = 1e-4;

    /// <summary>Smallest accepted <see cref="MaxBuckets"/>.</summary>
    public const int MinMaxBuckets = 8;

    /// <summary>Largest accepted <see cref="MaxBuckets"/> (2^22 buckets, 32 MiB per store).</summary>
    public const int MaxMaxBuckets = 1 << 22;

    /// <summary>
    /// Relative accuracy α: every reported quantile q̂ is within α·|q| of the true quantile q (unless the
    /// lowest buckets were collapsed). Must be in [1e-4, 1). The default is 0.01 (1%).
    /// </summary>
    public double RelativeAccuracy { get; set; } = 0.01;

    /// <summary>
    /// Cap on the number of buckets per sign. When values span more buckets than this, the lowest-magnitude
    /// buckets are merged into one, which keeps memory bounded and the upper quantiles of positive values
    /// (and the lower quantiles of negative values) within α. Must be in [8, 2^22]. The default is 2048,
    /// which at α = 1% covers about 17 orders of magnitude before any collapsing.
    /// </summary>
    public int MaxBuckets { get; set; } = 2048;
}
