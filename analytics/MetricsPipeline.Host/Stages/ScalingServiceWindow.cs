using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Collects the per-instance windows of one service for one window end and combines them into the per-service
/// <see cref="ServiceSnapshot"/> the policies read: CPU, memory and error rate are means over the instances; request
/// rate, queue depth, DB connections, pool size and active users are sums of the instances' window means; the count
/// is the largest <c>instances</c> value reported, and the ready count the instances that reported (the means are over
/// them; an instance the service counts that reports nothing yet is starting); p95/p99 latency is the count-weighted mean of the instances'
/// window quantiles (an approximation: quantiles do not merge exactly, but instances behind one balancer are alike).
/// Not thread-safe.
/// </summary>
internal sealed class ScalingServiceWindow
{
    private readonly Dictionary<string, (double Sum, int Count)> _fields = new(StringComparer.Ordinal);
    private double _instances = double.NaN;
    private double _p95Weighted;
    private double _p99Weighted;
    private long _latencyCount;

    /// <summary>Adds one closed window of measurement <c>service</c> or <c>http_request</c>.</summary>
    public void Add(WindowResult window, int p95Index, int p99Index)
    {
        foreach (var field in window.Fields)
        {
            if (field.Count == 0)
            {
                continue;
            }

            if (window.Measurement == "http_request")
            {
                if (field.Field == "latency_ms" && p95Index >= 0 && p99Index >= 0)
                {
                    _p95Weighted += field.Quantiles[p95Index] * field.Count;
                    _p99Weighted += field.Quantiles[p99Index] * field.Count;
                    _latencyCount += field.Count;
                }

                continue;
            }

            if (field.Field == "instances")
            {
                _instances = double.IsNaN(_instances) ? field.Max : Math.Max(_instances, field.Max);
                continue;
            }

            _fields.TryGetValue(field.Field, out var acc);
            _fields[field.Field] = (acc.Sum + field.Mean, acc.Count + 1);
        }
    }

    /// <summary>The snapshot at <paramref name="end"/>; null when no <c>service</c> window was seen (latency alone is not enough).</summary>
    public ServiceSnapshot? Build(string service, DateTimeOffset end)
    {
        if (_fields.Count == 0)
        {
            return null;
        }

        int reporting = _fields.Values.Max(v => v.Count);
        int instances = double.IsFinite(_instances) ? Math.Max(1, (int)Math.Round(_instances)) : reporting;
        return new ServiceSnapshot(service, end, instances)
        {
            ReadyInstances = Math.Min(reporting, instances),
            CpuPercent = Mean("cpu_percent"),
            MemoryPercent = Mean("memory_percent"),
            ErrorRatePercent = Mean("error_rate"),
            RequestRate = Sum("request_rate"),
            QueueDepth = Sum("queue_depth"),
            DbConnections = Sum("db_connections"),
            DbPoolSize = Sum("db_pool_size"),
            ActiveUsers = Sum("active_users"),
            LatencyP95Ms = _latencyCount > 0 ? _p95Weighted / _latencyCount : double.NaN,
            LatencyP99Ms = _latencyCount > 0 ? _p99Weighted / _latencyCount : double.NaN,
        };
    }

    private double Mean(string field) => _fields.TryGetValue(field, out var v) ? v.Sum / v.Count : double.NaN;

    private double Sum(string field) => _fields.TryGetValue(field, out var v) ? v.Sum : double.NaN;
}
