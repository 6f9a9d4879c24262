using System.Collections.Concurrent;
using System.Text;
using MetricsPipeline.Agent;

namespace MetricsPipeline.Agent.Tests;

internal sealed class RecordingSender : IBatchSender
{
    public ConcurrentQueue<string> Batches { get; } = new();

    public bool Reachable { get; set; } = true;

    public Task<bool> TrySendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        if (!Reachable)
        {
            return Task.FromResult(false);
        }

        Batches.Enqueue(Encoding.UTF8.GetString(batch.Span));
        return Task.FromResult(true);
    }
}
