namespace MetricsPipeline.Analytics.State;

/// <summary>
/// A keyed, append-only log read back whole: what <see cref="KafkaCheckpointStore"/> needs from a compacted Kafka
/// topic (the host adapts <c>MetricsPipeline.Kafka.KafkaStateTopic</c>; tests may use memory). Order holds per key.
/// </summary>
public interface ICheckpointLog
{
    /// <summary>Appends records in order (a null value deletes the key) and returns once all are durable; throws otherwise.</summary>
    void Append(IReadOnlyList<KeyValuePair<string, byte[]?>> records);

    /// <summary>Passes every record appended since the previous call (all of them on the first) to <paramref name="onRecord"/>.</summary>
    void ReadNew(Action<string, byte[]?> onRecord);
}
