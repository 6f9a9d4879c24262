namespace MetricsPipeline.Analytics.State;

/// <summary>
/// The window stages' state (forecasters, detectors, alert and scaling state) at one checkpoint, by stage name.
/// Stage state spans partitions (a service's instances live on several), so it is stored once per checkpoint and the
/// partition records point at it through <see cref="Sequence"/>.
/// </summary>
/// <param name="Sequence">The checkpoint's sequence number.</param>
/// <param name="ClosedThroughNs">The closed-through time the states correspond to (Unix ns).</param>
/// <param name="States">Each checkpointed stage's opaque state, by <c>IWindowStage.Name</c>.</param>
public sealed record StageCheckpoint(long Sequence, long ClosedThroughNs, IReadOnlyDictionary<string, byte[]> States);
