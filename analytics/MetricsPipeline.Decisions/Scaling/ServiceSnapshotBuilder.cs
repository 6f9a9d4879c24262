namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Builds a <see cref="ServiceSnapshot"/> from the analytics stage's per-window statistics of one service: feed
/// (measurement, field, statistic, value) for measurement <c>service</c> (fields cpu_percent, memory_percent,
/// request_rate, error_rate, queue_depth, db_connections, db_pool_size, active_users, instances) and
/// <c>http_request</c> (latency_ms p95/p99). Per-instance fields are combined the way the policies read them: CPU,
/// memory and error rate as means; request rate, queue depth and DB counts as sums over instances (sum statistic,
/// or mean × instances). Not thread-safe.
/// </summary>
public sealed class ServiceSnapshotBuilder
{
    private readonly Dictionary<(string Field, string Statistic), double> _values = [];

    /// <summary>Records one statistic (e.g. <c>("service", "cpu_percent", "mean", 63.2)</c>); unknown ones are ignored.</summary>
    public void Add(string measurement, string field, string statistic, double value)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (measurement is "service" or "http_request")
        {
            _values[(field, statistic)] = value;
        }
    }

    /// <summary>The snapshot of <paramref name="service"/> at the window end <paramref name="timestamp"/>.</summary>
    /// <param name="service">The service.</param>
    /// <param name="timestamp">The window end.</param>
    /// <param name="instances">The provisioned count, including instances still starting; null takes the <c>instances</c>
    /// field's max (the reporting count).</param>
    /// <param name="readyInstances">The instances the statistics were measured over (those that reported the window; the
    /// others are starting), <see cref="ServiceSnapshot.ReadyInstances"/>; null means all <paramref name="instances"/>. A
    /// total from a mean (request rate, queue depth, DB counts, active users) is the mean × this count, at most
    /// <paramref name="instances"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="readyInstances"/> is negative.</exception>
    public ServiceSnapshot Build(string service, DateTimeOffset timestamp, int? instances = null, int? readyInstances = null)
    {
        if (readyInstances is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(r, nameof(readyInstances));
        }

        int count = instances ?? (int)Math.Round(Get("instances", "max") is var m && double.IsFinite(m) ? m : 1);
        // Before, the ready count could not be given: every snapshot said "all ready", so the ready-aware reactive rule
        // never saw starting instances, and a mean over the reporting ones was multiplied by the provisioned count.
        int ready = Math.Min(readyInstances ?? count, count);
        double Total(string field) => Get(field, "sum") is var s && double.IsFinite(s) && !_values.ContainsKey((field, "mean")) ? s : Get(field, "mean") * ready;
        return new ServiceSnapshot(service, timestamp, count)
        {
            ReadyInstances = ready,
            CpuPercent = Get("cpu_percent", "mean"),
            MemoryPercent = Get("memory_percent", "mean"),
            RequestRate = Total("request_rate"),
            ErrorRatePercent = Get("error_rate", "mean"),
            QueueDepth = Total("queue_depth"),
            DbConnections = Total("db_connections"),
            DbPoolSize = Total("db_pool_size"),
            ActiveUsers = Total("active_users"),
            LatencyP95Ms = Get("latency_ms", "p95"),
            LatencyP99Ms = Get("latency_ms", "p99"),
        };
    }

    /// <summary>Forgets the recorded statistics (start the next window).</summary>
    public void Clear() => _values.Clear();

    private double Get(string field, string statistic) => _values.TryGetValue((field, statistic), out double v) ? v : double.NaN;
}
