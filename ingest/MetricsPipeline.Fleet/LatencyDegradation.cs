namespace MetricsPipeline.Fleet;

/// <summary>
/// A latency degradation (a slow dependency, say): every latency sample is multiplied by <paramref name="Factor"/>,
/// database connections are held that much longer and the error rate rises with its square root.
/// </summary>
/// <param name="Service">The affected service.</param>
/// <param name="Start">When the degradation starts (event time).</param>
/// <param name="Duration">How long it lasts.</param>
/// <param name="Factor">The latency multiplier; must be positive (4 means four times slower).</param>
public sealed record LatencyDegradation(string Service, DateTimeOffset Start, TimeSpan Duration, double Factor)
    : Incident(Service, Start, Duration);
