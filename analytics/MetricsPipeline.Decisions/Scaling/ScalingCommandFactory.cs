using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>Builds <see cref="ScalingCommand"/>s with the shared rules for ids, costs, cooldowns and expiry. Thread-safe.</summary>
public static class ScalingCommandFactory
{
    /// <summary>Hours in an average month (365.25 × 24 / 12), for monthly cost deltas.</summary>
    public const double HoursPerMonth = 730.5;

    /// <summary>Creates a command for <paramref name="snapshot"/> moving to <paramref name="target"/> instances.</summary>
    /// <param name="snapshot">The input the decision was made on (its timestamp is the input time of the id).</param>
    /// <param name="target">The target count.</param>
    /// <param name="trigger">What produced the decision.</param>
    /// <param name="rule">The rule name.</param>
    /// <param name="reason">A human-readable reason.</param>
    /// <param name="pricePerInstanceHour">Instance price per hour, for the monthly cost delta.</param>
    /// <param name="cooldown">How long the same direction stays blocked.</param>
    /// <param name="expiresAfter">How long the command stays valid.</param>
    /// <param name="confidence">Confidence in [0, 1].</param>
    /// <param name="forecast">The forecast behind it, if any.</param>
    /// <param name="advisory">Whether the command is advice only.</param>
    public static ScalingCommand Create(ServiceSnapshot snapshot, int target, ScalingTrigger trigger, string rule, string reason,
        double pricePerInstanceHour, TimeSpan cooldown, TimeSpan expiresAfter, double confidence = 1.0, ForecastInfo? forecast = null,
        bool advisory = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var action = target > snapshot.Instances ? ScalingAction.ScaleOut : target < snapshot.Instances ? ScalingAction.ScaleIn : ScalingAction.Hold;
        return new ScalingCommand
        {
            Id = ScalingCommandId.Compute(snapshot.Service, trigger, rule, snapshot.Timestamp, target),
            Service = snapshot.Service,
            Action = action,
            CurrentInstances = snapshot.Instances,
            TargetInstances = target,
            Trigger = trigger,
            Rule = rule,
            Reason = reason,
            Metrics = MetricsOf(snapshot),
            Forecast = forecast,
            Confidence = Math.Clamp(confidence, 0, 1),
            Advisory = advisory,
            EstimatedMonthlyCostDelta = Math.Round((target - snapshot.Instances) * pricePerInstanceHour * HoursPerMonth, 2),
            IssuedAt = snapshot.Timestamp,
            CooldownUntil = snapshot.Timestamp + cooldown,
            ExpiresAt = snapshot.Timestamp + expiresAfter,
        };
    }

    /// <summary>The snapshot's known metrics by their field names (NaN ones left out).</summary>
    public static IReadOnlyDictionary<string, double> MetricsOf(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        Put(metrics, "cpu_percent", snapshot.CpuPercent);
        Put(metrics, "memory_percent", snapshot.MemoryPercent);
        Put(metrics, "request_rate", snapshot.RequestRate);
        Put(metrics, "error_rate", snapshot.ErrorRatePercent);
        Put(metrics, "queue_depth", snapshot.QueueDepth);
        Put(metrics, "db_connections", snapshot.DbConnections);
        Put(metrics, "db_pool_size", snapshot.DbPoolSize);
        Put(metrics, "latency_p95_ms", snapshot.LatencyP95Ms);
        Put(metrics, "latency_p99_ms", snapshot.LatencyP99Ms);
        Put(metrics, "active_users", snapshot.ActiveUsers);
        metrics["instances"] = snapshot.Instances;
        return metrics;
    }

    private static void Put(SortedDictionary<string, double> metrics, string name, double value)
    {
        if (double.IsFinite(value))
        {
            metrics[name] = Math.Round(value, 6);
        }
    }
}
