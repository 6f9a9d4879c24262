using System.Collections.Concurrent;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.HttpWrite.Tests;

internal sealed class MemoryDeadLetters : IDeadLetterSink
{
    public ConcurrentQueue<DeadLetter> Letters { get; } = new();

    public ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        Letters.Enqueue(letter);
        return ValueTask.CompletedTask;
    }
}
