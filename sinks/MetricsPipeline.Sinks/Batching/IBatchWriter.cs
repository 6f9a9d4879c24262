namespace MetricsPipeline.Sinks.Batching;

/// <summary>
/// Writes one batch to a destination. This is all a sink implements; batching, retry, backpressure and the
/// shutdown flush live in <see cref="BatchingSink{T}"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public interface IBatchWriter<in T>
{
    /// <summary>
    /// Writes <paramref name="batch"/> and completes once it is durable at the destination.
    /// </summary>
    /// <param name="batch">The items, in order. Only valid until the returned task completes: the caller reuses the list.</param>
    /// <param name="ct">Cancelled when the owner gives up (shutdown timeout).</param>
    /// <returns>A task that completes when the batch is durably written.</returns>
    /// <exception cref="RetryableWriteException">A transient failure; the batch will be written again later.</exception>
    /// <exception cref="PermanentWriteException">The destination rejected the batch; it goes to the dead-letter path.</exception>
    /// <remarks>
    /// Any other exception (<see cref="HttpRequestException"/>, <see cref="IOException"/>, a timeout) is treated as
    /// retryable. Implementations are called by one loop at a time but should be thread-safe anyway.
    /// </remarks>
    Task WriteBatchAsync(IReadOnlyList<T> batch, CancellationToken ct);
}
