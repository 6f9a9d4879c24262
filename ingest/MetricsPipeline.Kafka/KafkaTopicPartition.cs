namespace MetricsPipeline.Kafka;

/// <summary>A topic and partition pair.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition number.</param>
public readonly record struct KafkaTopicPartition(string Topic, int Partition)
{
    /// <summary>Formats as <c>topic/partition</c>.</summary>
    public override string ToString() => $"{Topic}/{Partition}";
}
