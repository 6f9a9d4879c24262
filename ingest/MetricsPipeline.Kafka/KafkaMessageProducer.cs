using Confluent.Kafka;
using MetricsPipeline.Kafka.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Kafka;

/// <summary>
/// Produces keyed messages (UTF-8 string key, opaque byte value, typically JSON) to any topic: dead letters,
/// scaling commands, alerts. acks=all and idempotent, so a message is acknowledged once it is on every in-sync
/// replica, and librdkafka's retries never duplicate or reorder within a partition (on a Kafka broker; the embedded
/// mock can keep a retried batch twice, see <see cref="EmbeddedKafkaBroker"/>). The partition is chosen by
/// librdkafka from the key (<c>partitioner</c> setting; default <c>consistent_random</c>, set
/// <c>murmur2_random</c> in <see cref="KafkaProducerOptions.Settings"/> for Java-compatible placement).
/// Thread-safe.
/// </summary>
public sealed class KafkaMessageProducer : IAsyncDisposable
{
    private readonly IProducer<string, byte[]> producer;
    private readonly ILogger logger;
    private readonly Action<DeliveryReport<string, byte[]>> onDelivery;
    private long messagesSent;
    private long deliveryErrors;
    private int disposed;

    /// <summary>Creates the producer. <see cref="KafkaProducerOptions.Topic"/> and the batching options are not used.</summary>
    public KafkaMessageProducer(KafkaProducerOptions options, ILogger<KafkaMessageProducer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        LibrdkafkaLoader.EnsureLoaded();
        this.logger = logger ?? NullLogger<KafkaMessageProducer>.Instance;
        producer = new ProducerBuilder<string, byte[]>(KafkaClientConfig.Producer(options))
            .SetLogHandler((_, message) => KafkaLogging.Log(this.logger, message))
            .Build();
        onDelivery = OnDelivery;
    }

    /// <summary>Messages the broker acknowledged.</summary>
    public long MessagesSent => Interlocked.Read(ref messagesSent);

    /// <summary>Messages whose delivery failed for good (counted for both variants of produce).</summary>
    public long DeliveryErrors => Interlocked.Read(ref deliveryErrors);

    /// <summary>Produces one message and completes when the broker acknowledged it.</summary>
    /// <exception cref="ProduceException{TKey, TValue}">Delivery failed.</exception>
    public async Task ProduceAsync(string topic, string key, byte[] value, CancellationToken cancellationToken = default)
    {
        try
        {
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = value }, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref messagesSent);
        }
        catch (ProduceException<string, byte[]>)
        {
            Interlocked.Increment(ref deliveryErrors);
            throw;
        }
    }

    /// <summary>
    /// Queues one message without waiting for the acknowledgement; failures are logged and counted in
    /// <see cref="DeliveryErrors"/>. Blocks while librdkafka's queue is full. Call <see cref="FlushAsync"/> to wait.
    /// </summary>
    public void Produce(string topic, string key, byte[] value)
    {
        var message = new Message<string, byte[]> { Key = key, Value = value };
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivery);
                return;
            }
            catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Waits until every queued message is acknowledged or failed. Never throws.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        try
        {
            await Task.Run(() => producer.Flush(cancellationToken), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or KafkaException or ObjectDisposedException)
        {
            logger.LogDebug(ex, "Flushing the Kafka message producer ended early.");
        }
    }

    /// <summary>Flushes and releases the client. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            try
            {
                producer.Dispose();
            }
            catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Disposing the Kafka message producer failed.");
            }
        }
    }

    private void OnDelivery(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref deliveryErrors);
            logger.LogError("Kafka delivery to {Topic} (key {Key}) failed: {Reason}", report.Topic, report.Key, report.Error.Reason);
        }
        else
        {
            Interlocked.Increment(ref messagesSent);
        }
    }
}
