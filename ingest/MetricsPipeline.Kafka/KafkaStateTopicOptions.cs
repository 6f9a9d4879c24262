namespace MetricsPipeline.Kafka;

/// <summary>Settings of <see cref="KafkaStateTopic"/>.</summary>
public sealed class KafkaStateTopicOptions
{
    /// <summary>Comma-separated <c>host:port</c> list. The default is <c>localhost:9092</c>.</summary>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>The topic (for checkpoints <c>&lt;group&gt;.state</c>). Required.</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>
    /// Partitions of the topic when this class creates it. Every reader reads all of them to the end, so few are
    /// enough; more spread the bytes when the broker limits a partition's size (the embedded mock keeps about 5 MB per
    /// partition). The default is 3.
    /// </summary>
    public int Partitions { get; set; } = 3;

    /// <summary>How long one write or one read to the end may take before it fails. The default is 15 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra librdkafka settings for the producer and the reader (e.g. security), applied last. The default is empty.</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
