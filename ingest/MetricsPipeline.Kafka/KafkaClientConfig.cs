using Confluent.Kafka;

namespace MetricsPipeline.Kafka;

/// <summary>Builds the Confluent client configurations of the producers and the source.</summary>
internal static class KafkaClientConfig
{
    /// <summary>An idempotent, acks=all producer configuration from <paramref name="options"/>.</summary>
    public static ProducerConfig Producer(KafkaProducerOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = ParseCompression(options.CompressionType),

            // The value is copied by the library anyway; delivery reports carry no payload back.
            DeliveryReportFields = "status",
        };
        foreach (var (key, value) in options.Settings)
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary>
    /// The consumer configuration of <see cref="KafkaSource"/>: cooperative-sticky assignment, auto-commit of offsets
    /// that only the application stores (at-least-once).
    /// </summary>
    public static ConsumerConfig Consumer(KafkaSourceOptions options)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = options.AutoOffsetReset.Equals("latest", StringComparison.OrdinalIgnoreCase) ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,
        };
        foreach (var (key, value) in options.Settings)
        {
            config.Set(key, value);
        }

        return config;
    }

    private static CompressionType ParseCompression(string value) => value.ToLowerInvariant() switch
    {
        "none" or "" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new ArgumentException($"Unknown compression type '{value}'.", nameof(value)),
    };
}
