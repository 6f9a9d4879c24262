namespace MetricsPipeline.Analytics.State;

/// <summary>
/// What a checkpoint says about one source partition: replaying it from <paramref name="NextOffset"/> with every
/// window ending at or before <paramref name="ClosedThroughNs"/> treated as already written rebuilds exactly the open
/// windows the pipeline had. This holds because an offset is released only when every window its message fed has
/// closed, and the checkpoint is written only after every window closed through that time was acknowledged.
/// </summary>
/// <param name="Topic">The source topic.</param>
/// <param name="Partition">The source partition.</param>
/// <param name="NextOffset">The first offset not covered (the committed offset); −1 when nothing was released yet.</param>
/// <param name="ClosedThroughNs">Every window ending at or before this event time (Unix ns) was written.</param>
/// <param name="Sequence">The checkpoint this record belongs to (matches <see cref="StageCheckpoint.Sequence"/>).</param>
/// <param name="CreatedUnixMs">When the checkpoint was taken (processing time, Unix ms).</param>
/// <param name="ReadOffset">
/// One past the highest offset read when the checkpoint was taken (−1 when unknown, as in format version 1): records
/// below it that are replayed were already counted once, so their points behind <paramref name="ClosedThroughNs"/>
/// are replayed, not late.
/// </param>
public sealed record PartitionCheckpoint(string Topic, int Partition, long NextOffset, long ClosedThroughNs, long Sequence, long CreatedUnixMs, long ReadOffset = -1);
