namespace MetricsPipeline.Analytics.Windows;

/// <summary>One closed window of one series: every numeric field's statistics.</summary>
/// <param name="SeriesId">The compact id the window stage gave the series (stable for the process lifetime).</param>
/// <param name="Measurement">The source measurement.</param>
/// <param name="Tags">The source tags, sorted by key.</param>
/// <param name="Size">The window size.</param>
/// <param name="StartNs">The window start, Unix nanoseconds (inclusive); the window ends at start + size (exclusive).</param>
/// <param name="Fields">The statistics per field, in the order the series first showed them.</param>
public sealed record WindowResult(
    int SeriesId,
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    TimeSpan Size,
    long StartNs,
    IReadOnlyList<WindowFieldStats> Fields)
{
    /// <summary>
    /// The InfluxDB (v1) retention policy this window should be written to, or null for the database default.
    /// Set from <see cref="WindowOptions.RetentionPolicies"/> (tumbling windows) or the rollup level. A sink that
    /// supports per-point routing groups points by this value and writes each group with <c>rp=&lt;name&gt;</c>.
    /// </summary>
    public string? RetentionPolicy { get; init; }

    /// <summary>
    /// 0 for the first emission of a window; 1, 2, … for corrections from the late-update path
    /// (<see cref="WindowOptions.LateUpdateHorizon"/>). A correction carries the full, corrected statistics and the
    /// same series, tags and timestamp, so writing it to InfluxDB overwrites the earlier point.
    /// </summary>
    public int Revision { get; init; }
}
