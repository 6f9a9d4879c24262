namespace MetricsPipeline.Fleet;

/// <summary>The values of one <c>service</c> point plus what the latency sampler needs (internal working set).</summary>
internal struct InstanceSample
{
    public double CpuPercent;
    public double MemoryPercent;
    public double RequestRate;
    public double ErrorRate;
    public long QueueDepth;
    public long DbConnections;
    public long DbPoolSize;
    public long ActiveUsers;
    public long Instances;

    /// <summary>The current median latency in ms (profile median × utilisation curve × degradation).</summary>
    public double MedianLatencyMs;
}
