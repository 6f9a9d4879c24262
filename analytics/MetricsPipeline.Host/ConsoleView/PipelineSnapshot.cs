namespace MetricsPipeline.Host.ConsoleView;

/// <summary>What the console view shows at one moment.</summary>
internal sealed record PipelineSnapshot(
    TimeSpan Elapsed,
    string Phase,
    DateTimeOffset? EventTime,
    long PointsProduced,
    long PointsConsumed,
    long ValuesAggregated,
    long WindowsClosed,
    IReadOnlyList<(string Name, long Written, long Buffered, long Retries, long DeadLettered)> Sinks,
    long ParseErrors,
    long DeadLetters,
    long LatePoints,
    long OffsetGaps,
    long SeriesRejected,
    int Series,
    IReadOnlyList<LatencyBoard.Row> Latency);
