namespace MetricsPipeline.Host.Bench;

/// <summary>
/// The numbers of one <c>bench http</c> run (serialized to JSON in snake_case: <c>http_lines_per_second</c>,
/// <c>parse_lines_per_second</c> (the baseline, same run), <c>ratio</c> (HTTP over parse), <c>latency_p99_ms</c>, ...).
/// </summary>
internal sealed record HttpBenchResult(
    int BatchLines,
    int Connections,
    bool Kafka,
    bool Gzip,
    double ParseLinesPerSecond,
    double HttpLinesPerSecond,
    double Ratio,
    double HttpMegabytesPerSecond,
    long Requests,
    long Throttled,
    long LinesAccepted,
    long LinesSentToKafka,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double LatencyMaxMs,
    double DurationSeconds,
    int ProcessorCount);
