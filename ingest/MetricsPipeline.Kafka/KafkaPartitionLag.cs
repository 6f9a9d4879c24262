namespace MetricsPipeline.Kafka;

/// <summary>Consumer progress on one assigned partition, as seen by <see cref="KafkaSource.GetLag"/>.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="HighWatermark">The partition's end offset as last reported by the broker, or -1 when not known yet.</param>
/// <param name="Position">The next offset the source will read (last consumed + 1), or -1 before the first record.</param>
/// <param name="Acknowledged">The highest offset stored by <see cref="KafkaSource.Acknowledge(string, int, long)"/>, or -1.</param>
/// <param name="Lag">Records not yet consumed: <c>HighWatermark - Position</c>, or -1 when either is unknown.</param>
public readonly record struct KafkaPartitionLag(string Topic, int Partition, long HighWatermark, long Position, long Acknowledged, long Lag);
