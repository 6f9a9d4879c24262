namespace MetricsPipeline.Sinks.Batching;

/// <summary>
/// Counters of one <see cref="BatchingSink{T}"/>. Every member is thread-safe; reads are individually atomic
/// but not a consistent snapshot of all counters together.
/// </summary>
public sealed class SinkStatistics
{
    private long _itemsEnqueued;
    private long _itemsWritten;
    private long _batchesWritten;
    private long _retries;
    private long _itemsDeadLettered;
    private long _itemsDropped;
    private long _currentBuffered;
    private long _lastWriteLatencyTicks;

    /// <summary>Items accepted into the buffer since the sink was created.</summary>
    public long ItemsEnqueued => Interlocked.Read(ref _itemsEnqueued);

    /// <summary>Items the writer acknowledged as durably written.</summary>
    public long ItemsWritten => Interlocked.Read(ref _itemsWritten);

    /// <summary>Batches the writer acknowledged.</summary>
    public long BatchesWritten => Interlocked.Read(ref _batchesWritten);

    /// <summary>Failed write attempts that were scheduled for another try (not drops).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Items routed to the dead-letter path after a permanent failure (or after <see cref="BatchingSinkOptions.MaxRetryDuration"/>).</summary>
    public long ItemsDeadLettered => Interlocked.Read(ref _itemsDeadLettered);

    /// <summary>Items refused because the buffer was full and <see cref="BatchingSinkOptions.DropWhenFull"/> is set.</summary>
    public long ItemsDropped => Interlocked.Read(ref _itemsDropped);

    /// <summary>Items accepted but not yet acknowledged (waiting or being written).</summary>
    public long CurrentBuffered => Interlocked.Read(ref _currentBuffered);

    /// <summary>How long the last successful batch write took (zero before the first one).</summary>
    public TimeSpan LastWriteLatency => TimeSpan.FromTicks(Interlocked.Read(ref _lastWriteLatencyTicks));

    internal void OnEnqueued(int count)
    {
        Interlocked.Add(ref _itemsEnqueued, count);
        Interlocked.Add(ref _currentBuffered, count);
    }

    internal void OnWritten(int count, TimeSpan latency)
    {
        Interlocked.Add(ref _itemsWritten, count);
        Interlocked.Increment(ref _batchesWritten);
        Interlocked.Exchange(ref _lastWriteLatencyTicks, latency.Ticks);
    }

    internal void OnAcknowledged(int count) => Interlocked.Add(ref _currentBuffered, -count);

    internal void OnRetry() => Interlocked.Increment(ref _retries);

    internal void OnDeadLettered(int count) => Interlocked.Add(ref _itemsDeadLettered, count);

    internal void OnDropped(int count) => Interlocked.Add(ref _itemsDropped, count);
}
