namespace MetricsPipeline.Kafka;

/// <summary>One consumed Kafka record. The memory is owned by the record; it is not reused by the source.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The record's offset; acknowledge <c>Offset + 1</c> once it is processed.</param>
/// <param name="Key">The key bytes; empty when the record has no key.</param>
/// <param name="Value">The value bytes (for the metrics topic: newline-terminated line protocol).</param>
/// <param name="TimestampMs">The record timestamp, Unix epoch milliseconds.</param>
public readonly record struct KafkaRecord(
    string Topic,
    int Partition,
    long Offset,
    ReadOnlyMemory<byte> Key,
    ReadOnlyMemory<byte> Value,
    long TimestampMs);
