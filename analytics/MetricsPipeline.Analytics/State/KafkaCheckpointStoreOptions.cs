namespace MetricsPipeline.Analytics.State;

/// <summary>Settings of <see cref="KafkaCheckpointStore"/> (section <c>Analytics:State:Kafka</c>).</summary>
public sealed class KafkaCheckpointStoreOptions
{
    /// <summary>
    /// Largest value of one record: the stages' state is split into chunks of at most this many bytes, below the
    /// broker's message size limit (1 MB by default). The default is 256 KiB.
    /// </summary>
    public int MaxChunkBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Partitions of <c>&lt;group&gt;.state</c> when it is created. Readers read all of it, so few are enough; the
    /// embedded mock broker keeps only about 5 MB per partition, so more partitions hold more history there. The
    /// default is 3.
    /// </summary>
    public int Partitions { get; set; } = 3;

    /// <summary>Records kept in memory per partition key while reading (newest first wins; older ones are fallbacks). The default is 4.</summary>
    public int HistoryPerPartition { get; set; } = 4;

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (MaxChunkBytes < 1024)
        {
            throw new ArgumentException("Analytics:State:Kafka:MaxChunkBytes must be at least 1024.");
        }

        if (Partitions < 1 || HistoryPerPartition < 1)
        {
            throw new ArgumentException("Analytics:State:Kafka:Partitions and HistoryPerPartition must be at least 1.");
        }
    }
}
