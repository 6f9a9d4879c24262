using MetricsPipeline.Kafka;

namespace MetricsPipeline.HttpWrite;

/// <summary>Feeds accepted lines to a <see cref="KafkaLineProducer"/> (batched, partitioned by series key). Thread-safe.</summary>
/// <param name="producer">The producer; owned by the caller.</param>
public sealed class KafkaLineTarget(KafkaLineProducer producer) : ILineTarget
{
    /// <inheritdoc />
    public void Append(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line) => producer.Append(seriesKey, line);
}
