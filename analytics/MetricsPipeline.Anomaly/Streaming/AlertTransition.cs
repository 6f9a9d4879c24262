namespace MetricsPipeline.Anomaly.Streaming;

/// <summary>What an <see cref="AlertLifecycle"/> step asks the caller to publish.</summary>
public enum AlertTransition
{
    /// <summary>Nothing to publish (quiet, a duplicate of the open alert, or suppressed by the re-alert interval).</summary>
    None,

    /// <summary>A new alert episode opens (status <c>firing</c>).</summary>
    Open,

    /// <summary>The open alert is repeated: its severity rose, or the re-notification interval elapsed.</summary>
    Renotify,

    /// <summary>The open alert resolves (status <c>resolved</c>).</summary>
    Resolve,
}
