using System.Collections.Concurrent;
using System.Text;
using MetricsPipeline.Instrumentation;

namespace MetricsPipeline.Instrumentation.Tests;

internal sealed class MemoryExporter : IMetricsBatchExporter
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public bool Reachable { get; set; } = true;

    public bool Throw { get; set; }

    public Task<bool> ExportAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        if (Throw)
        {
            throw new InvalidOperationException("exporter bug");
        }

        if (!Reachable)
        {
            return Task.FromResult(false);
        }

        foreach (var line in Encoding.UTF8.GetString(batch.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Lines.Enqueue(line);
        }

        return Task.FromResult(true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
