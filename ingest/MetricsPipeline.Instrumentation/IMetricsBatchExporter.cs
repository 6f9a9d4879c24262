namespace MetricsPipeline.Instrumentation;

/// <summary>Writes one batch of line protocol (complete lines, each ending in <c>\n</c>). Called from one export loop.</summary>
public interface IMetricsBatchExporter : IAsyncDisposable
{
    /// <summary>
    /// Exports <paramref name="batch"/>; true when delivered, false to retry it later. Must not throw for delivery
    /// failures; throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled
    /// before the delivery is known (the batch is then not counted as exported).
    /// </summary>
    Task<bool> ExportAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);
}
