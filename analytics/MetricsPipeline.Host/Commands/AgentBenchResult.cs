namespace MetricsPipeline.Host.Commands;

/// <summary>
/// The numbers of one <c>bench agent</c> run (JSON in snake_case). Memory in MB of 10^6 bytes, sampled after the
/// warm-up: <c>rss_mb</c> is the median of VmRSS (/proc/PID/status), <c>pss_mb</c> the median of Pss
/// (/proc/PID/smaps_rollup: shared library pages divided among the processes mapping them); CPU is user+system time
/// over wall time in percent of one core.
/// </summary>
internal sealed record AgentBenchResult(
    double RssMb,
    double RssMbMax,
    double PssMb,
    double PssMbMax,
    double CpuPercent,
    int Samples,
    double MeasuredSeconds,
    double IntervalSeconds,
    bool Tuned,
    int Threads,
    long LinesCollected,
    long BatchesSent);
