namespace MetricsPipeline.Fleet;

/// <summary>
/// How one simulated service behaves: its load, the capacity of one instance and its latency, error, memory and
/// database profile. Immutable; use <c>with</c> to derive variants.
/// </summary>
/// <param name="Name">The service name, written as the <c>service</c> tag and used (with the instance index) to
/// name instances (<c>api-0</c>). Must be non-empty and unique within a fleet.</param>
/// <param name="BaseRequestRate">The service's total request rate in requests per second at the growth origin,
/// before seasonality, noise and incidents. Must be positive.</param>
/// <param name="CapacityPerInstance">The request rate in requests per second at which one instance is 100 %
/// utilised. Must be positive.</param>
/// <param name="MedianLatencyMs">The median request latency in milliseconds of an idle instance. Must be positive.</param>
public sealed record ServiceProfile(string Name, double BaseRequestRate, double CapacityPerInstance, double MedianLatencyMs)
{
    /// <summary>The lognormal sigma of the latency body (dimensionless). The default is 0.4.</summary>
    public double LatencySigma { get; init; } = 0.4;

    /// <summary>The probability that a latency sample comes from the Pareto tail instead of the lognormal body.
    /// The default is 0.02.</summary>
    public double TailProbability { get; init; } = 0.02;

    /// <summary>The Pareto shape of the latency tail; smaller is heavier. The default is 1.5.</summary>
    public double TailAlpha { get; init; } = 1.5;

    /// <summary>The tail's minimum as a multiple of the current median latency. The default is 3.</summary>
    public double TailScale { get; init; } = 3.0;

    /// <summary>The error rate in percent of requests when the service is healthy. The default is 0.2.</summary>
    public double BaseErrorPercent { get; init; } = 0.2;

    /// <summary>The memory use in percent of one instance at rest, before drift, load and leaks. The default is 45.</summary>
    public double BaseMemoryPercent { get; init; } = 45.0;

    /// <summary>The database connection pool size of one instance. The default is 25.</summary>
    public int DbPoolSize { get; init; } = 25;

    /// <summary>How long one request holds a database connection, in milliseconds, at low load (it stretches with
    /// latency). Connections in use follow Little's law: rate × hold time, capped at the pool size.
    /// The default is 25 ms.</summary>
    public double DbHoldMs { get; init; } = 25.0;

    /// <summary>Active users per request per second (a session rate). The default is 12.</summary>
    public double UsersPerRequestPerSecond { get; init; } = 12.0;
}
