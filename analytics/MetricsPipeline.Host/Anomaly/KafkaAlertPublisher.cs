using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>Publishes alerts to a Kafka topic through <see cref="KafkaMessageProducer"/> (acks=all, idempotent).</summary>
public sealed class KafkaAlertPublisher : IAlertPublisher
{
    private readonly KafkaMessageProducer _producer;
    private readonly string _topic;

    /// <summary>Creates the publisher; the producer is owned and disposed (flushed) with it.</summary>
    public KafkaAlertPublisher(KafkaMessageProducer producer, string topic)
    {
        _producer = producer ?? throw new ArgumentNullException(nameof(producer));
        _topic = topic;
    }

    /// <inheritdoc />
    public void Publish(string key, byte[] value) => _producer.Produce(_topic, key, value);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _producer.DisposeAsync();
}
