namespace MetricsPipeline.Instrumentation;

/// <summary>Writes one batch of line protocol (complete lines, each ending in <c>\n</c>). Called from one export loop.</summary>
public interface IMetricsBatchExporter : IAsyncDisposable
{
    /// <summary>Exports <paramref name="batch"/>; true when delivered, false to retry it later. Must not throw for delivery failures.</summary>
    Task<bool> ExportAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);
}
