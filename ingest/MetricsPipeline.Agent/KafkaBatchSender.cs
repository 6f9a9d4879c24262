using Confluent.Kafka;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Agent;

/// <summary>
/// Sends each batch as one Kafka message keyed by the host name, so one host's series stay on one partition, in
/// order. acks=all and idempotent (via <see cref="KafkaMessageProducer"/>). Thread-safe.
/// </summary>
/// <param name="producer">The producer (owned by the caller); give it a short <c>message.timeout.ms</c> so an outage is noticed.</param>
/// <param name="topic">The topic. The default is <c>metrics</c>.</param>
/// <param name="key">The message key, normally the host name.</param>
public sealed class KafkaBatchSender(KafkaMessageProducer producer, string topic, string key) : IBatchSender
{
    /// <inheritdoc />
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        try
        {
            await producer.ProduceAsync(topic, key, batch.ToArray(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KafkaException)
        {
            return false;
        }
    }
}
