using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;
using MetricsPipeline.Kafka.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetricsPipeline.Kafka;

/// <summary>
/// Consumes a topic as a member of a consumer group and publishes <see cref="KafkaRecordBatch"/>es on a bounded
/// channel, with at-least-once delivery: an offset is stored (and later auto-committed) only when the application
/// calls <see cref="Acknowledge(string, int, long)"/>.
/// </summary>
/// <remarks>
/// <para>Group: <c>partition.assignment.strategy=cooperative-sticky</c>, so a rebalance moves only the partitions that
/// must move; <see cref="PartitionsRevoked"/> fires before they go (flush state and acknowledge then), after which the
/// stored offsets are committed.</para>
/// <para>Backpressure: when <see cref="Batches"/> is full the consume thread waits up to a second for room; if the
/// channel is still full it pauses every assigned partition and keeps calling <c>Consume</c> (which returns nothing for
/// paused partitions) until there is room. Polling on keeps the member inside <c>max.poll.interval.ms</c> and lets
/// rebalances complete promptly; blocking without polling (or raising <c>max.poll.interval.ms</c>) would stall every
/// rebalance of the group for as long as the pipeline is slow. A record of a partition assigned during the
/// pause is kept for the next batch and its partition paused too.</para>
/// <para>Loss detection: the mock broker (and real retention) can delete records before they are read. The source
/// counts an offset gap whenever a partition's next record is beyond the expected offset (last consumed + 1, or the
/// group's committed offset after an assignment, which catches an offset-out-of-range reset), logs a warning, and adds
/// the gap size to <see cref="RecordsSkipped"/>.</para>
/// <para>Records: one Kafka message is one <see cref="KafkaRecord"/> (on the metrics topic its value holds many
/// lines). Thread-safety: <see cref="Acknowledge(string, int, long)"/>, <see cref="GetLag"/> and the counters may be
/// called from any thread; events are raised on the consume thread.</para>
/// </remarks>
public sealed partial class KafkaSource : IAsyncDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PauseAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CommittedTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LagQueryTimeout = TimeSpan.FromSeconds(1);

    private readonly KafkaSourceOptions options;
    private readonly ILogger logger;
    private readonly IConsumer<byte[], byte[]> consumer;
    private readonly Channel<KafkaRecordBatch> channel;
    private readonly ConcurrentDictionary<KafkaTopicPartition, PartitionProgress> assigned = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource draining = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<KafkaTopicPartition, long> committedAtAssignment = []; // consume thread only
    private readonly Dictionary<KafkaTopicPartition, (long Position, long Covered)> left = []; // consume thread only
    private List<KafkaRecord> pending;
    private Task<bool>? roomAvailable;
    private long recordsConsumed;
    private long bytesConsumed;
    private long offsetGaps;
    private long recordsSkipped;
    private long backpressurePauses;
    private int paused;
    private int started;
    private int disposed;

    /// <summary>Creates the consumer; nothing is consumed before <see cref="Start"/>.</summary>
    public KafkaSource(KafkaSourceOptions options, ILogger<KafkaSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChannelCapacity, 1);
        LibrdkafkaLoader.EnsureLoaded();
        this.options = options;
        this.logger = logger ?? NullLogger<KafkaSource>.Instance;
        pending = new List<KafkaRecord>(options.MaxBatchMessages);
        channel = Channel.CreateBounded<KafkaRecordBatch>(new BoundedChannelOptions(options.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });

        var config = KafkaClientConfig.Consumer(options);
        consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) => KafkaLogging.Log(this.logger, message))
            .SetErrorHandler((_, error) => this.logger.LogWarning("Kafka consumer error {Code}: {Reason}", error.Code, error.Reason))
            .SetPartitionsAssignedHandler((Func<IConsumer<byte[], byte[]>, List<TopicPartition>, IEnumerable<TopicPartitionOffset>>)((_, partitions) => OnAssigned(partitions)))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList(), lost: false))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList(), lost: true))
            .Build();
    }

    /// <summary>
    /// Raised on the consume thread when partitions are assigned to this member, before any of their records is read.
    /// </summary>
    public event Action<IReadOnlyList<KafkaTopicPartition>>? PartitionsAssigned;

    /// <summary>
    /// Called on the consume thread when partitions are assigned, after <see cref="PartitionsAssigned"/>: returns the
    /// offset each partition must start from (e.g. the offset a restored checkpoint covers). Partitions it leaves out
    /// start from the group's committed offset. Null (the default) starts every partition from the committed offset,
    /// except one that comes back to this member after it was revoked or lost while no other member committed beyond
    /// what this one had: that one continues where this member stopped reading, because without a provider the
    /// in-memory state built from the records in between is still there (re-reading them would count them twice).
    /// Set it before <see cref="Start"/>.
    /// </summary>
    public Func<IReadOnlyList<KafkaTopicPartition>, IReadOnlyDictionary<KafkaTopicPartition, long>>? StartOffsets { get; set; }

    /// <summary>
    /// The next offset this member expects from <paramref name="partition"/>: inside <see cref="StartOffsets"/> (and
    /// <see cref="PartitionsAssigned"/>) the group's committed offset; later the last consumed offset + 1. −1 when
    /// unknown or not assigned. Thread-safe.
    /// </summary>
    public long ExpectedOffset(KafkaTopicPartition partition) =>
        assigned.TryGetValue(partition, out var progress) ? progress.Position : -1;

    /// <summary>
    /// Raised on the consume thread before partitions leave this member (revoked, or lost after a session timeout).
    /// Handlers flush state for them and may call <see cref="Acknowledge(string, int, long)"/>; stored offsets are committed right after
    /// (not for lost partitions, which another member already owns).
    /// </summary>
    public event Action<IReadOnlyList<KafkaTopicPartition>>? PartitionsRevoked;

    /// <summary>
    /// The batches, in consumption order. Completes after <see cref="StopAsync"/>, or with the error if the consume
    /// loop fails unexpectedly.
    /// </summary>
    public ChannelReader<KafkaRecordBatch> Batches => channel.Reader;

    /// <summary>Records consumed from the broker (including ones not yet read from <see cref="Batches"/>).</summary>
    public long RecordsConsumed => Interlocked.Read(ref recordsConsumed);

    /// <summary>Value bytes of <see cref="RecordsConsumed"/>.</summary>
    public long BytesConsumed => Interlocked.Read(ref bytesConsumed);

    /// <summary>Times a partition's next record was beyond the expected offset (records lost before they were read).</summary>
    public long OffsetGaps => Interlocked.Read(ref offsetGaps);

    /// <summary>Sum of the gap sizes counted by <see cref="OffsetGaps"/>, in records (offsets).</summary>
    public long RecordsSkipped => Interlocked.Read(ref recordsSkipped);

    /// <summary>
    /// Times the channel stayed full for more than a second and the source paused its partitions (backpressure).
    /// </summary>
    public long BackpressurePauses => Interlocked.Read(ref backpressurePauses);

    /// <summary>The partitions currently assigned to this member.</summary>
    public IReadOnlyList<KafkaTopicPartition> Assignment => [.. assigned.Keys];

    /// <summary>Subscribes and starts the consume thread. Calling it again does nothing.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            return;
        }

        consumer.Subscribe(options.Topic);
        var thread = new Thread(Run) { IsBackground = true, Name = "kafka-source-" + options.Topic };
        thread.Start();
    }

    /// <summary>
    /// Marks every record of <paramref name="topic"/>/<paramref name="partition"/> below <paramref name="nextOffset"/>
    /// as processed: the offset is stored and committed by the next auto-commit (or on revoke/stop). Acknowledging a
    /// partition no longer assigned, or after stop, is ignored. Never throws for such cases; thread-safe.
    /// </summary>
    public void Acknowledge(string topic, int partition, long nextOffset)
    {
        var key = new KafkaTopicPartition(topic, partition);
        if (Volatile.Read(ref disposed) != 0 || !assigned.TryGetValue(key, out var state))
        {
            return;
        }

        lock (state)
        {
            // Batches may be acknowledged out of order; never move the stored offset backwards.
            if (nextOffset <= state.Acknowledged)
            {
                return;
            }

            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(topic, partition, nextOffset));
                state.TryAcknowledge(nextOffset);
            }
            catch (Exception ex) when (ex is KafkaException or ObjectDisposedException or InvalidOperationException)
            {
                // The partition was revoked between the check and the store: its records will be redelivered.
                logger.LogDebug(ex, "Acknowledging {TopicPartition}@{Offset} was ignored.", key, nextOffset);
            }
        }
    }

    /// <summary>Acknowledges every record of <paramref name="batch"/>.</summary>
    public void Acknowledge(KafkaRecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var (partition, next) in batch.NextOffsets())
        {
            Acknowledge(partition.Topic, partition.Partition, next);
        }
    }

    /// <summary>
    /// Progress of every assigned partition. The high watermark is the cached value from the last fetch, or, while the
    /// source has paused its partitions for backpressure, the broker's current one (so the lag keeps growing while the
    /// pipeline is held back).
    /// </summary>
    public IReadOnlyList<KafkaPartitionLag> GetLag()
    {
        var result = new List<KafkaPartitionLag>(assigned.Count);

        // A paused partition is not fetched, so its cached high watermark stops where the pause began and the lag would
        // read 0 exactly while the pipeline falls behind: ask the broker instead (one short round trip per partition).
        var ask = Volatile.Read(ref paused) != 0;
        foreach (var (key, state) in assigned)
        {
            long high = -1;
            try
            {
                var partition = new TopicPartition(key.Topic, key.Partition);
                var watermarks = ask ? QueryWatermarks(partition) : consumer.GetWatermarkOffsets(partition);
                high = watermarks.High.IsSpecial ? -1 : watermarks.High.Value;
            }
            catch (Exception ex) when (ex is KafkaException or ObjectDisposedException)
            {
                logger.LogDebug(ex, "Reading watermarks of {TopicPartition} failed.", key);
            }

            var position = state.Position;
            var lag = high >= 0 && position >= 0 ? Math.Max(0, high - position) : -1;
            result.Add(new KafkaPartitionLag(key.Topic, key.Partition, high, position, state.Acknowledged, lag));
        }

        return result;
    }

    /// <summary>
    /// The first half of a graceful stop: hands over what was already fetched, pauses every partition and completes
    /// <see cref="Batches"/>, but stays in the group, so that the reader can finish its work and
    /// <see cref="Acknowledge(string, int, long)"/> the last records before <see cref="StopAsync"/> commits and
    /// leaves. Records fetched after the pause are not handed over (nor acknowledged: the group redelivers them).
    /// Idempotent; never throws.
    /// </summary>
    public Task StopConsumingAsync()
    {
        if (Volatile.Read(ref started) == 0)
        {
            channel.Writer.TryComplete();
            drained.TrySetResult();
            return Task.CompletedTask;
        }

        draining.Cancel();
        return drained.Task;
    }

    /// <summary>
    /// Stops consuming, commits the stored offsets, leaves the group and completes <see cref="Batches"/>.
    /// Records read but not acknowledged are redelivered to the group later. Idempotent; never throws.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        if (Volatile.Read(ref started) == 0)
        {
            channel.Writer.TryComplete();
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Stopping the Kafka source of {Topic} was abandoned before the consumer closed.", options.Topic);
        }
    }

    /// <summary>Stops (see <see cref="StopAsync"/>) and releases the consumer. Idempotent; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            consumer.Dispose();
        }
        catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Disposing the Kafka consumer failed.");
        }
    }
}
