using Confluent.Kafka;
using Confluent.Kafka.Admin;
using MetricsPipeline.Kafka.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Kafka;

/// <summary>
/// A keyed log on a compacted topic, read back whole: <see cref="Write"/> appends records (a null value is a
/// tombstone) and returns once the broker acknowledged every one; <see cref="ReadNew"/> reads every partition from
/// where the previous call stopped (from the beginning on the first call) up to the end it had when the call began.
/// The reader belongs to no consumer group and commits nothing. Order holds per key (one key, one partition).
/// Thread-safe (calls are serialised).
/// </summary>
public sealed class KafkaStateTopic : IDisposable
{
    private readonly KafkaStateTopicOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private IProducer<string, byte[]?>? producer;
    private IConsumer<string, byte[]?>? reader;
    private List<TopicPartition>? partitions;
    private Dictionary<int, long> positions = [];
    private bool disposed;

    /// <summary>Creates the client; nothing connects before the first call.</summary>
    public KafkaStateTopic(KafkaStateTopicOptions options, ILogger<KafkaStateTopic>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Partitions, 1);
        LibrdkafkaLoader.EnsureLoaded();
        this.options = options;
        this.logger = logger ?? NullLogger<KafkaStateTopic>.Instance;
    }

    /// <summary>The topic.</summary>
    public string Topic => options.Topic;

    /// <summary>
    /// Creates the topic with <c>cleanup.policy=compact</c>; when the broker refuses that configuration (the embedded
    /// mock does not know topic configs) it creates it without, and when it exists already it is left as it is.
    /// Returns true when the topic was created compacted here. Never throws: a topic that could not be created is
    /// auto-created (uncompacted) by the first write, where the broker allows it.
    /// </summary>
    public bool EnsureCreated()
    {
        using var admin = new AdminClientBuilder(Config(new AdminClientConfig())).SetLogHandler((_, message) => KafkaLogging.Log(logger, message)).Build();
        foreach (var compacted in new[] { true, false })
        {
            var spec = new TopicSpecification { Name = options.Topic, NumPartitions = options.Partitions, ReplicationFactor = -1 };
            if (compacted)
            {
                spec.Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };
            }

            try
            {
                admin.CreateTopicsAsync([spec], new CreateTopicsOptions { RequestTimeout = options.Timeout }).GetAwaiter().GetResult();
                logger.LogInformation("Created state topic {Topic} ({Partitions} partitions, {Policy})", options.Topic, options.Partitions, compacted ? "compacted" : "NOT compacted: the broker refused cleanup.policy=compact");
                return compacted;
            }
            catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                return false;
            }
            catch (CreateTopicsException ex)
            {
                logger.LogDebug("Creating {Topic} {How} failed: {Reason}", options.Topic, compacted ? "compacted" : "plain", ex.Results.FirstOrDefault()?.Error.Reason);
            }
            catch (KafkaException ex)
            {
                logger.LogDebug(ex, "The broker does not create topics through the admin API");
                break;
            }
        }

        // Brokers without the admin API (the embedded mock) create a topic on its first write, with their default
        // partition count and no compaction. A tombstone of an unused key creates it without adding state.
        try
        {
            Write([new(InitKey, null)]);
            logger.LogWarning("State topic {Topic} was auto-created by a write: NOT compacted, broker-default partitions", options.Topic);
        }
        catch (KafkaException ex)
        {
            logger.LogWarning(ex, "Creating state topic {Topic} failed", options.Topic);
        }

        return false;
    }

    /// <summary>The key <see cref="EnsureCreated"/> writes a tombstone for when it creates the topic by writing; readers ignore it.</summary>
    public const string InitKey = "init";

    /// <summary>
    /// Appends <paramref name="records"/> in order and waits until the broker acknowledged all of them.
    /// </summary>
    /// <exception cref="KafkaException">A record was not delivered within the timeout (some may have been).</exception>
    public void Write(IReadOnlyList<KeyValuePair<string, byte[]?>> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            producer ??= new ProducerBuilder<string, byte[]?>(Config(new ProducerConfig { Acks = Acks.All, EnableIdempotence = true, LingerMs = 2 }))
                .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
                .Build();
            Error? failure = null;
            var outstanding = records.Count;
            using var done = new ManualResetEventSlim(outstanding == 0);
            foreach (var (key, value) in records)
            {
                producer.Produce(options.Topic, new Message<string, byte[]?> { Key = key, Value = value }, report =>
                {
                    if (report.Error.IsError)
                    {
                        failure ??= report.Error;
                    }

                    if (Interlocked.Decrement(ref outstanding) == 0)
                    {
                        done.Set();
                    }
                });
            }

            producer.Flush(options.Timeout);
            if (!done.Wait(TimeSpan.Zero) || failure is not null)
            {
                throw new KafkaException(failure ?? new Error(ErrorCode.Local_TimedOut, $"State records not acknowledged within {options.Timeout}."));
            }
        }
    }

    /// <summary>
    /// Reads what was appended since the previous call (everything on the first) up to the end of each partition as
    /// it was when the call began, passing each record to <paramref name="onRecord"/> (value null for a tombstone).
    /// Returns the number of records read.
    /// </summary>
    /// <exception cref="KafkaException">The topic's metadata or the end offsets could not be read, or the read did not reach the end within the timeout.</exception>
    public int ReadNew(Action<string, byte[]?> onRecord)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            EnsureReader();
            var ends = new Dictionary<int, long>();
            foreach (var tp in partitions!)
            {
                var end = reader!.QueryWatermarkOffsets(tp, options.Timeout).High.Value;
                if (end > positions.GetValueOrDefault(tp.Partition.Value, 0))
                {
                    ends[tp.Partition.Value] = end;
                }
            }

            var read = 0;
            var deadline = DateTime.UtcNow + options.Timeout;
            while (ends.Count > 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"Reading {options.Topic} to its end took longer than {options.Timeout}."));
                }

                var result = reader!.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null || result.IsPartitionEOF)
                {
                    // An end-of-partition event below the end is stale (reached before the newer records arrived).
                    if (result is not null && ends.TryGetValue(result.Partition.Value, out var end) && result.Offset.Value >= end)
                    {
                        positions[result.Partition.Value] = result.Offset.Value;
                        ends.Remove(result.Partition.Value);
                    }

                    continue;
                }

                var partition = result.Partition.Value;
                positions[partition] = result.Offset.Value + 1;
                if (result.Message.Key is { } key)
                {
                    onRecord(key, result.Message.Value);
                    read++;
                }

                if (ends.TryGetValue(partition, out var target) && result.Offset.Value + 1 >= target)
                {
                    ends.Remove(partition);
                }
            }

            return read;
        }
    }

    /// <summary>Releases the clients. Idempotent; never throws.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            try
            {
                producer?.Flush(TimeSpan.FromSeconds(5));
                producer?.Dispose();
                reader?.Close();
                reader?.Dispose();
            }
            catch (Exception ex) when (ex is KafkaException or ObjectDisposedException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Disposing the state topic's clients failed.");
            }
        }
    }

    private void EnsureReader()
    {
        if (reader is not null)
        {
            return;
        }

        var consumer = new ConsumerBuilder<string, byte[]?>(Config(new ConsumerConfig
            {
                GroupId = options.Topic + ".reader",
                EnableAutoCommit = false,
                EnableAutoOffsetStore = false,
                EnablePartitionEof = true,

                // Reads happen inside a rebalance callback: do not let the broker hold a fetch open waiting for data.
                FetchWaitMaxMs = 20,
                AutoOffsetReset = AutoOffsetReset.Earliest,
            }))
            .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
            .Build();
        try
        {
            var count = KafkaMetadata.WaitForPartitionCount(consumer.Handle, options.Topic, options.Timeout);
            partitions = [.. Enumerable.Range(0, count).Select(p => new TopicPartition(options.Topic, p))];
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        }
        catch
        {
            consumer.Dispose();
            throw;
        }

        positions = [];
        reader = consumer;
    }

    private T Config<T>(T config)
        where T : ClientConfig
    {
        config.BootstrapServers = options.BootstrapServers;
        foreach (var (key, value) in options.Settings)
        {
            config.Set(key, value);
        }

        return config;
    }
}
