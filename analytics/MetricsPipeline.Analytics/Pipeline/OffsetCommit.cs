namespace MetricsPipeline.Analytics.Pipeline;

/// <summary>
/// "Every message of <see cref="Topic"/>/<see cref="Partition"/> below <see cref="NextOffset"/> is fully processed":
/// the value to store as the consumer group's position once the batch carrying it is acknowledged.
/// </summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="NextOffset">The first offset not yet fully processed.</param>
public readonly record struct OffsetCommit(string Topic, int Partition, long NextOffset);
