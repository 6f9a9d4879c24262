namespace MetricsPipeline.Analytics.State;

/// <summary>What checkpointing did so far. Thread-safe (Interlocked).</summary>
public sealed class CheckpointCounters
{
    private long _written;
    private long _failed;
    private long _restored;
    private long _cleanStarts;
    private long _stageRestoreFailures;
    private long _windowsSuppressed;
    private long _messagesSkipped;
    private long _windowsDiscarded;
    private long _keysRestored;
    private long _keysDropped;

    /// <summary><c>pipeline_checkpoints_total</c>: checkpoints persisted.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary><c>pipeline_checkpoint_errors_total</c>: checkpoints that could not be persisted (offsets stayed back).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Partitions whose state was restored from a checkpoint on assignment.</summary>
    public long PartitionsRestored => Interlocked.Read(ref _restored);

    /// <summary>
    /// <c>pipeline_checkpoint_fallbacks_total</c>: partitions (or the stages' record) whose checkpoint was corrupt,
    /// unreadable or inconsistent, so they started clean (from the committed offset, with empty state).
    /// </summary>
    public long CleanStarts => Interlocked.Read(ref _cleanStarts);

    /// <summary>Stages whose saved state could not be restored (they started empty).</summary>
    public long StageRestoreFailures => Interlocked.Read(ref _stageRestoreFailures);

    /// <summary>Closed windows not emitted because another instance owns (or already wrote) them.</summary>
    public long WindowsSuppressed => Interlocked.Read(ref _windowsSuppressed);

    /// <summary>Source messages dropped because their partition was revoked before they were processed.</summary>
    public long MessagesSkipped => Interlocked.Read(ref _messagesSkipped);

    /// <summary>Open windows dropped unemitted because their partition was revoked (the next owner rebuilds them).</summary>
    public long WindowsDiscarded => Interlocked.Read(ref _windowsDiscarded);

    /// <summary>
    /// Stage keys (services, series) whose state was merged from the checkpoint of a partition assigned here, so their
    /// forecasters, detectors, alert and scaling state continue instead of starting cold.
    /// </summary>
    public long KeysRestored => Interlocked.Read(ref _keysRestored);

    /// <summary>Stage keys whose state was dropped because the one partition feeding them was revoked.</summary>
    public long KeysDropped => Interlocked.Read(ref _keysDropped);

    internal void AddKeysRestored(long count) => Interlocked.Add(ref _keysRestored, count);

    internal void AddKeysDropped(long count) => Interlocked.Add(ref _keysDropped, count);

    internal void AddWindowsDiscarded(long count) => Interlocked.Add(ref _windowsDiscarded, count);

    internal void AddWritten() => Interlocked.Increment(ref _written);

    internal void AddFailed() => Interlocked.Increment(ref _failed);

    internal void AddRestored() => Interlocked.Increment(ref _restored);

    internal void AddCleanStart() => Interlocked.Increment(ref _cleanStarts);

    internal void AddStageRestoreFailure() => Interlocked.Increment(ref _stageRestoreFailures);

    internal void AddWindowsSuppressed(long count) => Interlocked.Add(ref _windowsSuppressed, count);

    internal void AddMessageSkipped() => Interlocked.Increment(ref _messagesSkipped);
}
