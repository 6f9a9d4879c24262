namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// The per-service metrics a scaling policy sees at one evaluation time: what the analytics stage's window aggregates
/// (measurement <c>service</c> and <c>http_request</c>) say about one service. The stream and the closed-loop simulator
/// both build these, so both run the same decision code. A metric that is not known is <see cref="double.NaN"/> and no
/// rule fires on it. Immutable and thread-safe.
/// </summary>
/// <param name="Service">The service name (tag <c>service</c>).</param>
/// <param name="Timestamp">The evaluation time (the end of the window the values come from).</param>
/// <param name="Instances">The provisioned instance count the policy scales from, including instances still starting.</param>
public sealed record ServiceSnapshot(string Service, DateTimeOffset Timestamp, int Instances)
{
    /// <summary>
    /// The instances the per-instance means (CPU, memory, error rate) were measured over: those serving, not the ones
    /// still starting (in the stream, the instances that reported a window). The default is <see cref="Instances"/>
    /// (all ready). The reactive policy's proportional rules count the others at 0 % usage on a scale-up and at the
    /// target on a scale-down, as Kubernetes' HPA does; a value outside 0 to <see cref="Instances"/> is read as its
    /// nearest bound.
    /// </summary>
    public int ReadyInstances { get; init; } = Instances;

    /// <summary>Mean CPU over the service's instances, in percent (0–100).</summary>
    public double CpuPercent { get; init; } = double.NaN;

    /// <summary>Mean memory use over the instances, in percent (0–100).</summary>
    public double MemoryPercent { get; init; } = double.NaN;

    /// <summary>Total request rate of the service, in requests per second.</summary>
    public double RequestRate { get; init; } = double.NaN;

    /// <summary>Error rate, in percent of requests.</summary>
    public double ErrorRatePercent { get; init; } = double.NaN;

    /// <summary>Queue depth (summed over the instances).</summary>
    public double QueueDepth { get; init; } = double.NaN;

    /// <summary>Database connections in use (summed over the instances).</summary>
    public double DbConnections { get; init; } = double.NaN;

    /// <summary>Database pool size (summed over the instances).</summary>
    public double DbPoolSize { get; init; } = double.NaN;

    /// <summary>95th percentile of <c>http_request.latency_ms</c> over the window, in milliseconds.</summary>
    public double LatencyP95Ms { get; init; } = double.NaN;

    /// <summary>99th percentile of <c>http_request.latency_ms</c> over the window, in milliseconds.</summary>
    public double LatencyP99Ms { get; init; } = double.NaN;

    /// <summary>Active users of the service (drives growth phases).</summary>
    public double ActiveUsers { get; init; } = double.NaN;

    /// <summary>Whether an anomaly alert on the request rate is open for this service (triggers emergency scale-out).</summary>
    public bool RequestRateAnomaly { get; init; }
}
