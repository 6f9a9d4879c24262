namespace MetricsPipeline.Analytics.State;

/// <summary>
/// The window stages' state (forecasters, detectors, alert and scaling state) at one checkpoint. The partition records
/// point at it through <see cref="Sequence"/>. <see cref="States"/> holds each stage's whole state (what a restart of
/// the same instance restores); <see cref="PartitionStates"/> holds, per source partition, the state of the stage keys
/// (services, series) that partition alone feeds, which a member taking the partition over merges into its stages.
/// Keyed state lives here, not in the partition records, so the stores' chunking of large records covers it.
/// </summary>
/// <param name="Sequence">The checkpoint's sequence number.</param>
/// <param name="ClosedThroughNs">The closed-through time the states correspond to (Unix ns).</param>
/// <param name="States">Each checkpointed stage's opaque state, by <c>IWindowStage.Name</c>.</param>
/// <param name="PartitionStates">
/// Per (topic, partition): each <see cref="IKeyedCheckpointedStage"/>'s state of the keys fed by that partition only,
/// by stage name. Null or empty when there are none (and in records of format versions 1 and 2).
/// </param>
public sealed record StageCheckpoint(
    long Sequence,
    long ClosedThroughNs,
    IReadOnlyDictionary<string, byte[]> States,
    IReadOnlyDictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>>? PartitionStates = null);
