namespace MetricsPipeline.Analytics.Pipeline;

/// <summary>
/// One message from the metrics source (a Kafka record, or a batch posted over HTTP), carrying one or more
/// line-protocol lines. The position (<see cref="Partition"/>, <see cref="Offset"/>) is what gets acknowledged
/// once every aggregate fed by the message is durably written.
/// </summary>
/// <param name="Topic">The source topic (or another source name).</param>
/// <param name="Partition">The partition, used for per-partition watermarks and offset tracking.</param>
/// <param name="Offset">The message offset within the partition.</param>
/// <param name="Payload">Line-protocol bytes.</param>
public readonly record struct SourceMessage(string Topic, int Partition, long Offset, ReadOnlyMemory<byte> Payload);
