namespace MetricsPipeline.Ingest.Model;

/// <summary>Receives dead letters. Implementations must be thread-safe and must not throw for a bad letter.</summary>
public interface IDeadLetterSink
{
    /// <summary>Writes one dead letter. Completes when the letter is durable (or handed to a durable queue).</summary>
    ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken = default);
}
