namespace MetricsPipeline.Kafka;

/// <summary>Settings of <see cref="KafkaSource"/>. Bind from <c>Kafka:Consumer</c>.</summary>
public sealed class KafkaSourceOptions
{
    /// <summary>Comma-separated <c>host:port</c> list. The default is <c>localhost:9092</c>.</summary>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>The consumer group. The default is <c>metrics-pipeline</c>.</summary>
    public string GroupId { get; set; } = "metrics-pipeline";

    /// <summary>The topic to consume. The default is <c>metrics</c>.</summary>
    public string Topic { get; set; } = "metrics";

    /// <summary>
    /// Where a partition without a committed offset (or whose offset fell out of the log) starts:
    /// <c>earliest</c> (the default) or <c>latest</c>.
    /// </summary>
    public string AutoOffsetReset { get; set; } = "earliest";

    /// <summary>Most records in one <see cref="KafkaRecordBatch"/>. The default is 256.</summary>
    public int MaxBatchMessages { get; set; } = 256;

    /// <summary>Capacity of <see cref="KafkaSource.Batches"/>, in batches. The default is 16.</summary>
    public int ChannelCapacity { get; set; } = 16;

    /// <summary>
    /// Extra librdkafka consumer settings (e.g. <c>session.timeout.ms</c>, <c>fetch.max.bytes</c>), applied last. The
    /// source relies on <c>enable.auto.offset.store=false</c>; do not override it. The default is empty.
    /// Against <see cref="EmbeddedKafkaBroker"/> set <c>session.timeout.ms</c> to about 3000 (and
    /// <c>heartbeat.interval.ms</c> to 500): the mock waits <c>session.timeout.ms - 1 s</c> for members to rejoin on every
    /// rebalance, which with librdkafka's default of 45 s makes each join or leave stall the group for 44 s.
    /// </summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
