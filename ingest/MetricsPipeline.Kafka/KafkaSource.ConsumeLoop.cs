using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Kafka;

/// <content>The consume thread: polling, batching, gap detection and backpressure.</content>
public sealed partial class KafkaSource
{
    private void Run()
    {
        var token = stopping.Token;
        Exception? failure = null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (draining.IsCancellationRequested)
                {
                    Drain(token);
                    continue;
                }

                var first = TryConsume(PollTimeout);
                if (first is not null)
                {
                    Add(first);
                    while (pending.Count < options.MaxBatchMessages && TryConsume(TimeSpan.Zero) is { } next)
                    {
                        Add(next);
                    }
                }

                if (pending.Count > 0)
                {
                    Publish(token);
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The Kafka consume loop of {Topic} failed.", options.Topic);
            failure = ex;
        }
        finally
        {
            CloseConsumer();

            // A failure reaches the readers: ReadAsync throws a ChannelClosedException wrapping it.
            channel.Writer.TryComplete(failure);
            drained.TrySetResult();
            stopped.TrySetResult();
        }
    }

    // Between StopConsumingAsync and StopAsync: hand over what is pending once, pause, complete the channel, and
    // keep polling so the member stays in the group (heartbeats, rebalance callbacks) while acknowledgements arrive.
    private void Drain(CancellationToken token)
    {
        if (!drained.Task.IsCompleted)
        {
            if (pending.Count > 0)
            {
                Publish(token);
            }

            try
            {
                consumer.Pause(consumer.Assignment);
            }
            catch (KafkaException ex)
            {
                logger.LogWarning(ex, "Pausing the partitions of {Topic} failed.", options.Topic);
            }

            channel.Writer.TryComplete();
            drained.TrySetResult();
        }

        // Anything returned now is dropped unacknowledged, so the group redelivers it after the stop.
        _ = TryConsume(PollTimeout);
    }

    private ConsumeResult<byte[], byte[]>? TryConsume(TimeSpan timeout)
    {
        try
        {
            var result = consumer.Consume(timeout);
            return result is null || result.IsPartitionEOF ? null : result;
        }
        catch (ConsumeException ex)
        {
            logger.LogWarning(ex, "Kafka consume error on {TopicPartition}: {Reason}", ex.ConsumerRecord?.TopicPartition, ex.Error.Reason);
            return null;
        }
    }

    private void Add(ConsumeResult<byte[], byte[]> result)
    {
        var key = new KafkaTopicPartition(result.Topic, result.Partition.Value);
        var offset = result.Offset.Value;
        var skipped = assigned.GetOrAdd(key, _ => new PartitionProgress()).Advance(offset);
        if (skipped > 0)
        {
            // The size first, then the count: whoever sees the gap counted (a scrape, a test) also sees what it skipped.
            Interlocked.Add(ref recordsSkipped, skipped);
            Interlocked.Increment(ref offsetGaps);
            logger.LogWarning(
                "Offset gap on {TopicPartition}: expected offset {Expected}, got {Offset}; {Skipped} records were deleted by the broker before they were read.",
                key,
                offset - skipped,
                offset,
                skipped);
        }

        var value = result.Message.Value ?? [];
        Interlocked.Increment(ref recordsConsumed);
        Interlocked.Add(ref bytesConsumed, value.Length);
        pending.Add(new KafkaRecord(result.Topic, result.Partition.Value, offset, result.Message.Key ?? [], value, result.Message.Timestamp.UnixTimestampMs));
    }

    private void Publish(CancellationToken token)
    {
        var batch = new KafkaRecordBatch(pending);
        pending = new List<KafkaRecord>(options.MaxBatchMessages);
        if (channel.Writer.TryWrite(batch) || (WaitForRoom(PauseAfter, token) && channel.Writer.TryWrite(batch)) || token.IsCancellationRequested)
        {
            // Written, or stopping (the unwritten batch is not acknowledged, so the group redelivers it).
            return;
        }

        // Still full: pause, so the member can keep polling (heartbeat deadlines, rebalance callbacks) without
        // fetching more than it can hand over.
        // The flag first, then the pause, then the counter: whoever sees the counter move (a scrape, a test) must also
        // see the flag, or it reads the cached high watermarks that stop at the pause.
        Volatile.Write(ref paused, 1);
        consumer.Pause(consumer.Assignment);
        Interlocked.Increment(ref backpressurePauses);
        try
        {
            while (!channel.Writer.TryWrite(batch))
            {
                if (token.IsCancellationRequested)
                {
                    // Not acknowledged, so the group redelivers these records.
                    return;
                }

                if (WaitForRoom(PollTimeout, token))
                {
                    continue;
                }

                // Paused partitions return nothing; this call only serves callbacks and the poll-interval deadline.
                if (TryConsume(TimeSpan.Zero) is { } extra)
                {
                    // A partition assigned during the pause is not paused yet: keep its record and pause it.
                    Add(extra);
                    consumer.Pause([extra.TopicPartition]);
                }
            }
        }
        finally
        {
            Volatile.Write(ref paused, 0);
            consumer.Resume(consumer.Assignment);
        }
    }

    // The broker's watermarks for a paused partition (the cached ones stop at the pause); the cached ones when the
    // broker does not answer within a second (a scrape must not hang on an unreachable broker).
    private WatermarkOffsets QueryWatermarks(TopicPartition partition)
    {
        try
        {
            return consumer.QueryWatermarkOffsets(partition, LagQueryTimeout);
        }
        catch (KafkaException ex)
        {
            logger.LogDebug(ex, "Asking the broker for the watermarks of {TopicPartition} failed; the cached ones are used.", partition);
            return consumer.GetWatermarkOffsets(partition);
        }
    }

    private bool WaitForRoom(TimeSpan timeout, CancellationToken token)
    {
        try
        {
            // One outstanding wait is reused across calls, so a long pause does not pile up waiters on the channel.
            if (roomAvailable is null || roomAvailable.IsCompleted)
            {
                roomAvailable = channel.Writer.WaitToWriteAsync(token).AsTask();
            }

            return roomAvailable.Wait(timeout, token) && roomAvailable.Result;
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException)
        {
            // Stopping: the wait was cancelled.
            return false;
        }
    }
}
