namespace MetricsPipeline.Analytics.State;

/// <summary>
/// Where checkpoints live. Writes of one record are atomic (a reader sees the old or the new record, never a mix);
/// a checkpoint writes its stages record first and its partition records after it. Implementations are thread-safe.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Stores the stages' record of a checkpoint of <paramref name="group"/>.</summary>
    void SaveStages(string group, StageCheckpoint checkpoint);

    /// <summary>Stores (replaces) the record of one partition.</summary>
    void SavePartition(string group, PartitionCheckpoint checkpoint);

    /// <summary>Reads the record of one partition.</summary>
    CheckpointRead<PartitionCheckpoint> LoadPartition(string group, string topic, int partition);

    /// <summary>
    /// Reads the record of one partition, preferring one whose offset equals <paramref name="committedOffset"/> (the
    /// group's committed offset; −1 when unknown) when the store keeps several. The default ignores it.
    /// </summary>
    CheckpointRead<PartitionCheckpoint> LoadPartition(string group, string topic, int partition, long committedOffset) =>
        LoadPartition(group, topic, partition);

    /// <summary>Reads the stages' record with <paramref name="sequence"/>.</summary>
    CheckpointRead<StageCheckpoint> LoadStages(string group, long sequence);

    /// <summary>Removes a stages record no partition refers to any more (best effort; never throws).</summary>
    void DeleteStages(string group, long sequence);
}
