namespace MetricsPipeline.Fleet;

/// <summary>What a <see cref="FleetRunner"/> run produced.</summary>
/// <param name="Intervals">Intervals generated (backfill + live).</param>
/// <param name="BackfillIntervals">Of those, history intervals.</param>
/// <param name="Lines">Lines generated.</param>
/// <param name="LinesByMeasurement">Lines per measurement name (unescaped), e.g. <c>service</c>, <c>http_request</c>.</param>
/// <param name="FirstEventTimestampNs">The smallest line timestamp (Unix ns), or <c>null</c> if nothing was generated.</param>
/// <param name="LastEventTimestampNs">The largest line timestamp (Unix ns), or <c>null</c> if nothing was generated.</param>
/// <param name="Cancelled">Whether the run ended because it was cancelled.</param>
public sealed record FleetRunStatistics(
    long Intervals,
    long BackfillIntervals,
    long Lines,
    IReadOnlyDictionary<string, long> LinesByMeasurement,
    long? FirstEventTimestampNs,
    long? LastEventTimestampNs,
    bool Cancelled);
