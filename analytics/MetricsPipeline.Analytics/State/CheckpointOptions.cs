namespace MetricsPipeline.Analytics.State;

/// <summary>
/// Checkpointing of the analytics pipeline's state (section <c>Analytics:State</c>; <c>run --state-dir</c>,
/// <c>--state-store</c>, <c>--checkpoint-interval</c>).
/// </summary>
public sealed class CheckpointOptions
{
    /// <summary>The store name for <see cref="DirectoryCheckpointStore"/>.</summary>
    public const string DirectoryStore = "directory";

    /// <summary>The store name for <see cref="KafkaCheckpointStore"/>.</summary>
    public const string KafkaStore = "kafka";

    /// <summary>
    /// Where checkpoints go: <c>directory</c> (the default; in <see cref="Directory"/>, which instances of a group must
    /// share) or <c>kafka</c> (the compacted topic <c>&lt;group&gt;.state</c> on the pipeline's brokers, so instances on
    /// different machines take over each other's partitions with their state).
    /// </summary>
    public string Store { get; set; } = DirectoryStore;

    /// <summary>Settings of the <c>kafka</c> store.</summary>
    public KafkaCheckpointStoreOptions Kafka { get; set; } = new();

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

    /// <summary>True when the store is <c>kafka</c>, or <see cref="Directory"/> is set.</summary>
    public bool Enabled => UsesKafka || !string.IsNullOrWhiteSpace(Directory);

    /// <summary>True when <see cref="Store"/> is <c>kafka</c>.</summary>
    public bool UsesKafka => string.Equals(Store, KafkaStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Interval < TimeSpan.Zero)
        {
            throw new ArgumentException("Analytics:State:Interval must not be negative.");
        }

        if (!UsesKafka && !string.Equals(Store, DirectoryStore, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Analytics:State:Store must be '{DirectoryStore}' or '{KafkaStore}', not '{Store}'.");
        }

        Kafka.Validate();
    }
}
