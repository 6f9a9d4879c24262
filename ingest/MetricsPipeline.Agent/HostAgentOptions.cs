namespace MetricsPipeline.Agent;

/// <summary>Settings of the host agent (bound from the <c>Agent</c> section).</summary>
public sealed class HostAgentOptions
{
    /// <summary>Time between collections. The default is 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The root under which <c>proc/</c> and <c>sys/</c> are read. The default is <c>/</c>; tests point it at a fake
    /// tree, and a containerised agent at the host's mounted <c>/host</c>.
    /// </summary>
    public string Root { get; set; } = "/";

    /// <summary>The <c>host</c> tag on every line. The default is the machine name.</summary>
    public string HostName { get; set; } = Environment.MachineName;

    /// <summary>Process names (as in <c>/proc/PID/comm</c>) to report per-process metrics for (<c>procstat</c>). The default is none.</summary>
    public IList<string> Processes { get; } = [];

    /// <summary>The directory of the on-disk buffer. The default is <c>./agent-buffer</c>.</summary>
    public string BufferDirectory { get; set; } = "agent-buffer";

    /// <summary>
    /// The most bytes the on-disk buffer may hold; beyond it the oldest batches are deleted and counted as dropped.
    /// The default is 64 MiB (over a day of one host's metrics at 10 s).
    /// </summary>
    public long MaxBufferBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The largest batch (one Kafka message) in bytes; a bigger collection is split. The default is 256 KiB.</summary>
    public int MaxBatchBytes { get; set; } = 256 * 1024;

    /// <summary>The first retry delay after a failed send; doubles up to <see cref="MaxRetryDelay"/>. The default is 1 s.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay. The default is 60 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
}
