using Confluent.Kafka;
using MetricsPipeline.Kafka.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Kafka;

/// <summary>
/// Writes InfluxDB line-protocol lines to a Kafka topic, many lines per message.
/// </summary>
/// <remarks>
/// <para>Message format: the value is UTF-8 line protocol, one or more complete lines, each terminated by <c>\n</c>;
/// no key, no headers. A message holds at most <see cref="KafkaProducerOptions.MaxMessageBytes"/> bytes (a longer
/// single line travels alone).</para>
/// <para>Partitioning: every line of a series goes to partition
/// <see cref="SeriesPartitioner.Partition"/>(series key, partition count), so one consumer sees a series in order.
/// With <see cref="KafkaProducerOptions.PartitionByTag"/> set, a line carrying that tag goes by the tag's value
/// instead (see <see cref="SeriesPartitioner.PartitionByTag"/>), so all series sharing the value share a partition.
/// The partition count is read from metadata once, at construction.</para>
/// <para>Delivery: acks=all, idempotent producer. When librdkafka's local queue is full, <see cref="Append"/> blocks
/// until there is room (backpressure); lines are never dropped locally. A batch is sent when it is full, after
/// <see cref="KafkaProducerOptions.LingerMs"/>, or on <see cref="FlushAsync"/>.</para>
/// <para>Thread-safety: all members are thread-safe; appends are serialized by one lock.</para>
/// </remarks>
public sealed class KafkaLineProducer : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly IProducer<Null, byte[]> producer;
    private readonly ILogger logger;
    private readonly ITimer lingerTimer;
    private readonly PartitionBuffer[] buffers;
    private readonly TopicPartition[] partitions;
    private readonly int maxMessageBytes;
    private readonly byte[]? routingTag;
    private long linesSent;
    private long messagesSent;
    private long bytesSent;
    private long deliveryErrors;
    private long linesFailed;
    private int disposed;

    /// <summary>
    /// Connects, reads the topic's partition count (waiting up to <see cref="KafkaProducerOptions.MetadataTimeoutMs"/>)
    /// and starts the linger timer.
    /// </summary>
    /// <exception cref="KafkaException">The topic's metadata could not be read in time.</exception>
    public KafkaLineProducer(KafkaProducerOptions options, ILogger<KafkaLineProducer>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageBytes, 64);
        LibrdkafkaLoader.EnsureLoaded();
        this.logger = logger ?? NullLogger<KafkaLineProducer>.Instance;
        Topic = options.Topic;
        maxMessageBytes = options.MaxMessageBytes;
        routingTag = string.IsNullOrEmpty(options.PartitionByTag) ? null : System.Text.Encoding.UTF8.GetBytes(options.PartitionByTag);
        producer = new ProducerBuilder<Null, byte[]>(KafkaClientConfig.Producer(options))
            .SetLogHandler((_, message) => KafkaLogging.Log(this.logger, message))
            .Build();
        try
        {
            PartitionCount = KafkaMetadata.WaitForPartitionCount(producer.Handle, Topic, TimeSpan.FromMilliseconds(options.MetadataTimeoutMs));
        }
        catch
        {
            producer.Dispose();
            throw;
        }

        buffers = new PartitionBuffer[PartitionCount];
        partitions = new TopicPartition[PartitionCount];
        for (var i = 0; i < PartitionCount; i++)
        {
            buffers[i] = new PartitionBuffer(maxMessageBytes);
            partitions[i] = new TopicPartition(Topic, i);
        }

        var linger = TimeSpan.FromMilliseconds(Math.Max(1, options.LingerMs));
        lingerTimer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => OnLinger(), null, linger, linger);
    }

    /// <summary>The topic written to.</summary>
    public string Topic { get; }

    /// <summary>The topic's partition count, read from metadata at construction.</summary>
    public int PartitionCount { get; }

    /// <summary>The tag lines are routed by (<see cref="KafkaProducerOptions.PartitionByTag"/>); null when lines go by their series key.</summary>
    public string? PartitionByTag => routingTag is null ? null : System.Text.Encoding.UTF8.GetString(routingTag);

    /// <summary>Lines whose message the broker acknowledged (acks=all).</summary>
    public long LinesSent => Interlocked.Read(ref linesSent);

    /// <summary>Kafka messages the broker acknowledged.</summary>
    public long MessagesSent => Interlocked.Read(ref messagesSent);

    /// <summary>Value bytes of the acknowledged messages.</summary>
    public long BytesSent => Interlocked.Read(ref bytesSent);

    /// <summary>Messages whose delivery failed for good (after librdkafka's own retries, i.e. <c>message.timeout.ms</c>).</summary>
    public long DeliveryErrors => Interlocked.Read(ref deliveryErrors);

    /// <summary>Lines inside the messages counted by <see cref="DeliveryErrors"/>.</summary>
    public long LinesFailed => Interlocked.Read(ref linesFailed);

    /// <summary>
    /// Appends one line of the series <paramref name="seriesKey"/>. <paramref name="line"/> must be complete,
    /// including its trailing <c>\n</c>. Blocks while librdkafka's queue is full.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The producer was disposed.</exception>
    public void Append(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var partition = routingTag is null
            ? SeriesPartitioner.Partition(seriesKey, PartitionCount)
            : SeriesPartitioner.PartitionByTag(seriesKey, routingTag, PartitionCount);
        lock (gate)
        {
            var buffer = buffers[partition];
            if (buffer.Length + line.Length > maxMessageBytes && buffer.Length > 0)
            {
                Send(partition, buffer.Data.AsSpan(0, buffer.Length), buffer.Lines);
                buffer.Reset();
            }

            if (line.Length > maxMessageBytes)
            {
                Send(partition, line, 1);
                return;
            }

            line.CopyTo(buffer.Data.AsSpan(buffer.Length));
            buffer.Length += line.Length;
            buffer.Lines++;
        }
    }

    /// <summary>
    /// Sends every partly filled batch and waits until all messages in flight are acknowledged or failed.
    /// Never throws; returns early when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <returns>
    /// True when every message in flight was acknowledged or failed (see <see cref="DeliveryErrors"/>); false when the
    /// wait was cancelled first, the producer is disposed or the flush failed: then some messages may still be in
    /// flight, and their delivery is not known yet.
    /// </returns>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return false;
        }

        try
        {
            SendAll();
            await Task.Run(() => producer.Flush(cancellationToken), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // Flush is best-effort when the caller gives up; the messages stay queued.
            return false;
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "Flushing the Kafka line producer failed.");
            return false;
        }
    }

    /// <summary>Sends what is buffered, waits for acknowledgements, and releases the client. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await lingerTimer.DisposeAsync().ConfigureAwait(false);
        lock (gate)
        {
            try
            {
                producer.Dispose();
            }
            catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Disposing the Kafka line producer failed.");
            }
        }
    }

    private void OnLinger()
    {
        // While an append is blocked on a full librdkafka queue, ticks skip instead of piling up pool threads.
        if (!gate.TryEnter())
        {
            return;
        }

        try
        {
            SendAll();
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "Sending lingering Kafka batches failed.");
        }
        finally
        {
            gate.Exit();
        }
    }

    private void SendAll()
    {
        lock (gate)
        {
            if (Volatile.Read(ref disposed) != 0)
            {
                return;
            }

            for (var partition = 0; partition < buffers.Length; partition++)
            {
                var buffer = buffers[partition];
                if (buffer.Length > 0)
                {
                    Send(partition, buffer.Data.AsSpan(0, buffer.Length), buffer.Lines);
                    buffer.Reset();
                }
            }
        }
    }

    private void Send(int partition, ReadOnlySpan<byte> payload, int lines)
    {
        var message = new Message<Null, byte[]> { Value = payload.ToArray() };
        var report = new DeliveryTracker(this, lines, payload.Length);
        while (true)
        {
            try
            {
                producer.Produce(partitions[partition], message, report.Handle);
                return;
            }
            catch (ProduceException<Null, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Backpressure: wait for delivery reports to free queue space instead of dropping.
                Thread.Sleep(5);
            }
        }
    }

    private sealed class DeliveryTracker(KafkaLineProducer owner, int lines, int bytes)
    {
        public void Handle(DeliveryReport<Null, byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref owner.deliveryErrors);
                Interlocked.Add(ref owner.linesFailed, lines);
                owner.logger.LogError("Kafka delivery of {Lines} lines to {TopicPartition} failed: {Reason}", lines, report.TopicPartition, report.Error.Reason);
                return;
            }

            Interlocked.Add(ref owner.linesSent, lines);
            Interlocked.Increment(ref owner.messagesSent);
            Interlocked.Add(ref owner.bytesSent, bytes);
        }
    }

    private sealed class PartitionBuffer(int capacity)
    {
        public byte[] Data { get; } = new byte[capacity];

        public int Length { get; set; }

        public int Lines { get; set; }

        public void Reset()
        {
            Length = 0;
            Lines = 0;
        }
    }
}
