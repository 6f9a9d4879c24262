namespace MetricsPipeline.Fleet;

/// <summary>
/// Names of the measurements, tags and fields the simulated fleet writes. Dashboards, detectors and tests rely on
/// these; do not rename them.
/// <para><c>service</c> — one point per instance per interval, timestamped at the interval start; tags
/// <c>instance</c>, <c>region</c>, <c>service</c>; fields <c>cpu_percent</c> (float, 0–100),
/// <c>memory_percent</c> (float, 0–100), <c>request_rate</c> (float, requests/s served by the instance),
/// <c>error_rate</c> (float, percent of requests), <c>queue_depth</c> (integer, requests waiting),
/// <c>db_connections</c> (integer, in use), <c>db_pool_size</c> (integer), <c>active_users</c> (integer) and
/// <c>instances</c> (integer, the service's current instance count).</para>
/// <para><c>http_request</c> — N latency samples per instance per interval, each with its own timestamp inside the
/// interval; same tags; field <c>latency_ms</c> (float, milliseconds).</para>
/// </summary>
public static class FleetSchema
{
    /// <summary>The per-instance measurement.</summary>
    public const string ServiceMeasurement = "service";

    /// <summary>The latency-sample measurement.</summary>
    public const string HttpRequestMeasurement = "http_request";

    /// <summary>Tag: the service name.</summary>
    public const string ServiceTag = "service";

    /// <summary>Tag: the instance name, <c>&lt;service&gt;-&lt;index&gt;</c>.</summary>
    public const string InstanceTag = "instance";

    /// <summary>Tag: the region.</summary>
    public const string RegionTag = "region";

    /// <summary>Field: CPU use in percent.</summary>
    public const string CpuPercent = "cpu_percent";

    /// <summary>Field: memory use in percent.</summary>
    public const string MemoryPercent = "memory_percent";

    /// <summary>Field: requests per second served by the instance.</summary>
    public const string RequestRate = "request_rate";

    /// <summary>Field: failed requests in percent of requests.</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>Field: requests waiting in the instance's queue.</summary>
    public const string QueueDepth = "queue_depth";

    /// <summary>Field: database connections in use.</summary>
    public const string DbConnections = "db_connections";

    /// <summary>Field: database connection pool size.</summary>
    public const string DbPoolSize = "db_pool_size";

    /// <summary>Field: active users on the instance.</summary>
    public const string ActiveUsers = "active_users";

    /// <summary>Field: the service's current instance count.</summary>
    public const string Instances = "instances";

    /// <summary>Field: request latency in milliseconds.</summary>
    public const string LatencyMs = "latency_ms";
}
