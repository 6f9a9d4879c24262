namespace MetricsPipeline.Agent;

/// <summary>Delivers one batch of line protocol as one unit (one Kafka message). Implementations are thread-safe.</summary>
public interface IBatchSender
{
    /// <summary>Sends <paramref name="batch"/>; true when it was acknowledged, false when it must be retried later. Never throws for a delivery failure.</summary>
    Task<bool> TrySendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);
}
