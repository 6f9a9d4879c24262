using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Hosting;

/// <summary>Kafka settings (configuration section <c>Kafka</c>).</summary>
public sealed class KafkaSettings
{
    /// <summary>
    /// Comma-separated bootstrap servers. When empty, the pipeline starts the embedded broker (librdkafka's mock
    /// cluster) on loopback and uses it. The default is empty.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>The consumer group of the analytics stage. The default is <c>metrics-pipeline</c>.</summary>
    public string GroupId { get; set; } = "metrics-pipeline";

    /// <summary>Partitions per topic on the embedded broker. The default is 12.</summary>
    public int EmbeddedPartitions { get; set; } = 12;

    /// <summary>Topic names.</summary>
    public KafkaTopicOptions Topics { get; set; } = new();

    /// <summary>Extra librdkafka consumer settings (<c>Kafka:Consumer:*</c>), e.g. <c>security.protocol</c>.</summary>
    public Dictionary<string, string> Consumer { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Extra librdkafka producer settings (<c>Kafka:Producer:*</c>).</summary>
    public Dictionary<string, string> Producer { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True when no external broker is configured.</summary>
    public bool UseEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new ArgumentException("Kafka:GroupId must not be empty.");
        }

        if (EmbeddedPartitions is < 1 or > 1000)
        {
            throw new ArgumentException("Kafka:EmbeddedPartitions must be between 1 and 1000.");
        }

        if (string.IsNullOrWhiteSpace(Topics.Metrics))
        {
            throw new ArgumentException("Kafka:Topics:Metrics must not be empty.");
        }
    }
}
