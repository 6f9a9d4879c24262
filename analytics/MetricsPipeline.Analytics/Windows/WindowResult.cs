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
    IReadOnlyList<WindowFieldStats> Fields);
