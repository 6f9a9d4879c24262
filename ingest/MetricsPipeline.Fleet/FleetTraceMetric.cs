namespace MetricsPipeline.Fleet;

/// <summary>Which per-service series <see cref="FleetTrace"/> produces.</summary>
public enum FleetTraceMetric
{
    /// <summary>Requests per second served by the service: <c>request_rate</c> summed over its instances.</summary>
    Requests,

    /// <summary>CPU use in percent: <c>cpu_percent</c> averaged over the service's instances.</summary>
    Cpu,

    /// <summary>The 95th percentile (nearest rank) of all of the service's <c>latency_ms</c> samples in the step.</summary>
    P95,
}
