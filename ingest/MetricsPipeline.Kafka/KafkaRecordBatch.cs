namespace MetricsPipeline.Kafka;

/// <summary>
/// Records consumed together, in consumption order (per partition: ascending offsets). Immutable once published.
/// </summary>
public sealed class KafkaRecordBatch
{
    /// <summary>Wraps <paramref name="records"/>; the list must not be changed afterwards.</summary>
    public KafkaRecordBatch(IReadOnlyList<KafkaRecord> records)
    {
        Records = records ?? throw new ArgumentNullException(nameof(records));
    }

    /// <summary>The records.</summary>
    public IReadOnlyList<KafkaRecord> Records { get; }

    /// <summary>Number of records.</summary>
    public int Count => Records.Count;

    /// <summary>
    /// For each partition in the batch, the offset to acknowledge once the whole batch is processed
    /// (highest offset + 1).
    /// </summary>
    public IReadOnlyDictionary<KafkaTopicPartition, long> NextOffsets()
    {
        var next = new Dictionary<KafkaTopicPartition, long>();
        foreach (var record in Records)
        {
            var key = new KafkaTopicPartition(record.Topic, record.Partition);
            if (!next.TryGetValue(key, out var current) || record.Offset + 1 > current)
            {
                next[key] = record.Offset + 1;
            }
        }

        return next;
    }
}
