namespace MetricsPipeline.Sinks.Batching;

/// <summary>
/// The items of one <see cref="BatchingSink{T}.EnqueueAsync"/> call while they are in the sink. Guarded by the
/// sink's lock.
/// </summary>
internal sealed class PendingRequest<T>
{
    public PendingRequest(IReadOnlyList<T> items)
    {
        Items = items;
        Pending = items.Count;
    }

    public IReadOnlyList<T> Items { get; }

    /// <summary>How many items (from the front) have been put into a batch.</summary>
    public int Taken { get; set; }

    /// <summary>How many items are not yet acknowledged.</summary>
    public int Pending { get; set; }

    /// <summary>When the request was admitted (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long AdmittedAt { get; set; }

    /// <summary>Completes when every item is written or dead-lettered.</summary>
    public TaskCompletionSource Acknowledged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the acknowledgement task once the request is admitted (backpressure).</summary>
    public TaskCompletionSource<Task>? Admission { get; set; }
}
