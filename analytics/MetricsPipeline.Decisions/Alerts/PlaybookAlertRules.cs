namespace MetricsPipeline.Decisions.Alerts;

/// <summary>The playbooks' default threshold rules. Thread-safe.</summary>
public static class PlaybookAlertRules
{
    /// <summary>
    /// Response time (p95) 1 s / 2 s / 5 s; CPU 80 / 90 / 95 %; memory 85 / 95 / 98 %; DB connection pool 80 / 90 / 95 %;
    /// error rate &gt; 5 % (critical); queue depth &gt; 1 000 (warning). Resets sit 5 points (10 % for latency) below each threshold.
    /// </summary>
    public static IReadOnlyList<ThresholdAlertRule> Defaults() =>
    [
        new()
        {
            Name = "response_time_high", Metric = "latency_p95_ms", Read = s => s.LatencyP95Ms,
            Levels = [new(AlertSeverity.Warning, 1000, 900), new(AlertSeverity.Critical, 2000, 1800), new(AlertSeverity.Emergency, 5000, 4500)],
            Playbook = "Check recent deploys and dependency latency; scale out if CPU or queue depth is also high.",
        },
        new()
        {
            Name = "cpu_high", Metric = "cpu_percent", Read = s => s.CpuPercent,
            Levels = [new(AlertSeverity.Warning, 80, 75), new(AlertSeverity.Critical, 90, 85), new(AlertSeverity.Emergency, 95, 90)],
            Playbook = "Confirm the autoscaler is acting; look for hot loops or a traffic spike; scale out manually if it is not.",
        },
        new()
        {
            Name = "memory_high", Metric = "memory_percent", Read = s => s.MemoryPercent,
            Levels = [new(AlertSeverity.Warning, 85, 80), new(AlertSeverity.Critical, 95, 90), new(AlertSeverity.Emergency, 98, 95)],
            Playbook = "Look for a leak (steady growth since the last restart); restart the worst instance; take a heap dump first.",
        },
        new()
        {
            Name = "db_pool_high", Metric = "db_pool_percent", Read = s => s.DbPoolSize > 0 ? 100 * s.DbConnections / s.DbPoolSize : double.NaN,
            Levels = [new(AlertSeverity.Warning, 80, 75), new(AlertSeverity.Critical, 90, 85), new(AlertSeverity.Emergency, 95, 90)],
            Playbook = "Find slow queries and leaked connections; raise the pool only if the database has headroom.",
        },
        new()
        {
            Name = "error_rate_high", Metric = "error_rate", Read = s => s.ErrorRatePercent,
            Levels = [new(AlertSeverity.Critical, 5, 4)],
            Playbook = "Check the error breakdown by endpoint and the last deploy; roll back if it correlates.",
        },
        new()
        {
            Name = "queue_depth_high", Metric = "queue_depth", Read = s => s.QueueDepth,
            Levels = [new(AlertSeverity.Warning, 1000, 800)],
            Playbook = "Check consumers are alive and keeping up; scale the consumers out.",
        },
    ];
}
