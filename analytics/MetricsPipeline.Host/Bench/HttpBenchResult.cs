namespace MetricsPipeline.Host.Bench;

/// <summary>The numbers of one <c>bench-http</c> run (serialized to JSON with these names).</summary>
internal sealed record HttpBenchResult(
    int BatchLines,
    int Connections,
    bool Kafka,
    bool Gzip,
    double ParseLinesPerSecond,
    double HttpLinesPerSecond,
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
