using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Host.Hosting;

/// <summary>Counts dead letters on their way to the real dead-letter sink. Thread-safe.</summary>
internal sealed class CountingDeadLetterSink(IDeadLetterSink inner) : IDeadLetterSink
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return inner.WriteAsync(letter, cancellationToken);
    }
}
