using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Kafka;

/// <content>Rebalance callbacks, committed-offset look-ups and the final commit.</content>
public sealed partial class KafkaSource
{
    private List<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        var keys = partitions.Select(p => new KafkaTopicPartition(p.Topic, p.Partition.Value)).ToList();
        var committed = ReadCommitted(partitions);
        foreach (var key in keys)
        {
            var offset = committed.TryGetValue(key, out var c) ? c : -1;
            assigned[key] = new PartitionProgress(offset);
            committedAtAssignment[key] = offset;
        }

        logger.LogInformation("Assigned {Partitions}", string.Join(", ", keys));
        Raise(PartitionsAssigned, keys);
        var starts = StartOffsets is null ? ResumeOffsets(keys, committed) : AskStartOffsets(keys);
        var result = new List<TopicPartitionOffset>(keys.Count);
        foreach (var key in keys)
        {
            if (starts.TryGetValue(key, out var start) && start >= 0)
            {
                // The expected offset moves with the seek, so a restored partition's gap detection starts there.
                assigned[key] = new PartitionProgress(start);
                result.Add(new TopicPartitionOffset(key.Topic, key.Partition, start));
                logger.LogInformation("{TopicPartition} starts at offset {Offset} (committed {Committed})", key, start, committed.GetValueOrDefault(key, -1));
            }
            else
            {
                result.Add(new TopicPartitionOffset(key.Topic, key.Partition, Offset.Unset));
            }
        }

        return result;
    }

    private IReadOnlyDictionary<KafkaTopicPartition, long> AskStartOffsets(IReadOnlyList<KafkaTopicPartition> keys)
    {
        if (StartOffsets is not { } provider)
        {
            return new Dictionary<KafkaTopicPartition, long>();
        }

        try
        {
            return provider(keys);
        }
#pragma warning disable CA1031 // A provider's bug must not kill the consume thread; the partitions start from the committed offsets.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "The start-offset provider failed; starting from the committed offsets.");
            return new Dictionary<KafkaTopicPartition, long>();
        }
    }

    // Without a start-offset provider nothing discards what the stages built from a partition's records when the
    // partition leaves (its open windows still count them), so when it comes back to this member while nobody else
    // committed beyond what this member had, it continues where this member stopped reading instead of re-reading
    // from the committed offset (which counted the records between the two twice: the over-count after a broker
    // outage that expired the group session). A partition another member advanced starts from the committed offset.
    private IReadOnlyDictionary<KafkaTopicPartition, long> ResumeOffsets(IReadOnlyList<KafkaTopicPartition> keys, IReadOnlyDictionary<KafkaTopicPartition, long> committed)
    {
        var result = new Dictionary<KafkaTopicPartition, long>();
        foreach (var key in keys)
        {
            if (!left.Remove(key, out var before) || before.Position < 0)
            {
                continue;
            }

            var now = committed.GetValueOrDefault(key, -1);
            if (now <= before.Covered && before.Position > now)
            {
                result[key] = before.Position;
                logger.LogInformation(
                    "{TopicPartition} came back to this member: continuing at offset {Position}, where it stopped reading (committed {Committed}; the records in between were already handed over)",
                    key,
                    before.Position,
                    now);
            }
        }

        return result;
    }

    private void OnRevoked(List<TopicPartition> partitions, bool lost)
    {
        var keys = partitions.Select(p => new KafkaTopicPartition(p.Topic, p.Partition.Value)).ToList();
        Raise(PartitionsRevoked, keys);
        if (!lost)
        {
            CommitStored();
        }

        foreach (var key in keys)
        {
            if (assigned.TryRemove(key, out var state) && StartOffsets is null)
            {
                // Covered: the highest offset this member committed or found committed; a higher committed offset
                // later means another member made progress on the partition meanwhile.
                var covered = Math.Max(state.Acknowledged, committedAtAssignment.GetValueOrDefault(key, -1));
                left[key] = (state.Position, covered);
            }

            committedAtAssignment.Remove(key);
        }

        logger.LogInformation("{Action} {Partitions}", lost ? "Lost" : "Revoked", string.Join(", ", keys));
    }

    private Dictionary<KafkaTopicPartition, long> ReadCommitted(List<TopicPartition> partitions)
    {
        // The committed offset is where this member must continue; a first record beyond it means the broker deleted
        // records in between (an offset-out-of-range reset), which is a gap like any other.
        var result = new Dictionary<KafkaTopicPartition, long>();
        try
        {
            foreach (var tpo in consumer.Committed(partitions, CommittedTimeout))
            {
                if (!tpo.Offset.IsSpecial)
                {
                    result[new KafkaTopicPartition(tpo.Topic, tpo.Partition.Value)] = tpo.Offset.Value;
                }
            }
        }
        catch (KafkaException ex)
        {
            logger.LogWarning(ex, "Reading committed offsets failed; gaps at the start of the assignment go undetected.");
        }

        return result;
    }

    private void CommitStored()
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing acknowledged since the last commit.
        }
        catch (KafkaException ex)
        {
            logger.LogWarning(ex, "Committing stored offsets failed: {Reason}", ex.Error.Reason);
        }
    }

    private void CloseConsumer()
    {
        try
        {
            CommitStored();
            consumer.Close();
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Closing the Kafka consumer failed.");
        }

        assigned.Clear();
    }

    private void Raise(Action<IReadOnlyList<KafkaTopicPartition>>? handler, IReadOnlyList<KafkaTopicPartition> keys)
    {
        try
        {
            handler?.Invoke(keys);
        }
#pragma warning disable CA1031 // A subscriber's bug must not kill the consume thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "A partition event handler failed.");
        }
    }
}
