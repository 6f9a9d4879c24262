namespace MetricsPipeline.Analytics.State;

/// <summary>
/// Checkpointing of the analytics pipeline's state (section <c>Analytics:State</c>; <c>run --state-dir</c>).
/// </summary>
public sealed class CheckpointOptions
{
    /// <summary>
    /// The snapshot directory; checkpointing is off while it is empty (the default). Files go to
    /// <c>&lt;Directory&gt;/&lt;group&gt;/</c>, so instances of one consumer group must share the directory to take
    /// over each other's partitions.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Least processing time between two checkpoints. Offsets are committed only with a checkpoint, so this is also the
    /// commit interval and bounds what a crash makes the pipeline re-read. The default is 10 s.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when <see cref="Directory"/> is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Directory);

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Interval < TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:State:Interval must not be negative.");
        }
    }
}
