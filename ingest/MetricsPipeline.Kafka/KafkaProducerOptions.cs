namespace MetricsPipeline.Kafka;

/// <summary>
/// Settings of <see cref="KafkaLineProducer"/> and <see cref="KafkaMessageProducer"/>. Bind from <c>Kafka:Producer</c>.
/// </summary>
public sealed class KafkaProducerOptions
{
    /// <summary>Comma-separated <c>host:port</c> list. The default is <c>localhost:9092</c>.</summary>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>The topic <see cref="KafkaLineProducer"/> writes to. The default is <c>metrics</c>.</summary>
    public string Topic { get; set; } = "metrics";

    /// <summary>
    /// Upper bound of one Kafka message built by <see cref="KafkaLineProducer"/>, in bytes. A single line longer than
    /// this is sent alone. The default is 65536 (64 KiB).
    /// </summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a partly filled batch may wait before it is sent, in ms. The default is 50 ms. This is the
    /// application-side linger; librdkafka's own <c>linger.ms</c> still applies on top (set it in <see cref="Settings"/>).
    /// </summary>
    public int LingerMs { get; set; } = 50;

    /// <summary>
    /// Compression codec: <c>lz4</c> (the default), <c>zstd</c>, <c>snappy</c>, <c>gzip</c> or <c>none</c>.
    /// </summary>
    public string CompressionType { get; set; } = "lz4";

    /// <summary>
    /// Routing key of <see cref="KafkaLineProducer"/>: when set, a line that carries this tag goes to the partition of
    /// its tag value (<see cref="SeriesPartitioner.Partition"/> of the escaped value bytes), so every series with the
    /// same value (e.g. every instance of one service when this is <c>service</c>) lands on one partition and one
    /// consumer sees them all; a line without the tag still goes by its series key. Order per series is kept either
    /// way, since a series always has the same tag value. The cost: a hot tag value loads one partition. The default
    /// is null: every line goes by its series key.
    /// </summary>
    public string? PartitionByTag { get; set; }

    /// <summary>How long to wait for topic metadata (the partition count) at start, in ms. The default is 10000 ms.</summary>
    public int MetadataTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// Extra librdkafka settings (e.g. <c>linger.ms</c>, <c>queue.buffering.max.kbytes</c>, security settings), applied
    /// last. The keys are librdkafka property names. <c>acks</c> and <c>enable.idempotence</c> are set to <c>all</c>
    /// and <c>true</c> and should not be weakened. The default is empty.
    /// </summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
