namespace MetricsPipeline.Sinks.Batching;

/// <summary>
/// Settings of a <see cref="BatchingSink{T}"/>, bound from e.g. the <c>InfluxDb:Batching</c> configuration section.
/// </summary>
public sealed class BatchingSinkOptions
{
    /// <summary>The largest batch handed to the writer, in items. The default is 5000.</summary>
    public int MaxBatchSize { get; set; } = 5000;

    /// <summary>
    /// How long the oldest buffered item may wait before a smaller-than-full batch is written. The default is 1 s.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most items held (waiting or being written) before <see cref="BatchingSink{T}.EnqueueAsync"/> blocks.
    /// The default is 100 000. A single call larger than this is admitted when the buffer is empty.
    /// </summary>
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>
    /// When <c>true</c>, a call whose items do not fit is dropped (and counted in
    /// <see cref="SinkStatistics.ItemsDropped"/>) instead of waiting. The default is <c>false</c>: block.
    /// </summary>
    public bool DropWhenFull { get; set; }

    /// <summary>The upper bound of the first retry delay. The default is 200 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The cap on the retry delay. The default is 30 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one batch may keep failing with retryable errors before it becomes a dead letter (reason
    /// <c>retry_exhausted</c>). The default is <c>null</c>: retry forever, so nothing is lost while the server is down.
    /// </summary>
    public TimeSpan? MaxRetryDuration { get; set; }

    /// <summary>
    /// How long <see cref="BatchingSink{T}.DisposeAsync"/> keeps writing what is buffered before giving up.
    /// The default is 30 s.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The source of jitter for the retry delays. The default (<c>null</c>) is <see cref="Random.Shared"/>;
    /// tests pass a seeded or stub generator. Not bound from configuration.
    /// </summary>
    public Random? Random { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(BufferCapacity, 1, nameof(BufferCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FlushInterval, TimeSpan.Zero, nameof(FlushInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero, nameof(InitialBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff, nameof(MaxBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, nameof(ShutdownTimeout));
        if (MaxRetryDuration is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, TimeSpan.Zero, nameof(MaxRetryDuration));
        }
    }
}
