namespace MetricsPipeline.Kafka;

/// <summary>Settings of <see cref="EmbeddedKafkaBroker"/>.</summary>
public sealed class EmbeddedKafkaBrokerOptions
{
    /// <summary>Number of mock brokers in the cluster. The default is 1.</summary>
    public int Brokers { get; set; } = 1;

    /// <summary>
    /// Partitions of the topics created by <see cref="EmbeddedKafkaBroker.CreateTopic(string)"/> and of
    /// <see cref="Topics"/>. The default is 12. Many partitions matter here: the mock keeps only about 5 MB per
    /// partition, so spreading data over more partitions keeps more of it. Topics auto-created by a client's first
    /// produce or metadata request get librdkafka's mock default instead, so create topics explicitly.
    /// </summary>
    public int DefaultPartitions { get; set; } = 12;

    /// <summary>Topics created with <see cref="DefaultPartitions"/> when the broker starts. The default is none.</summary>
    public IList<string> Topics { get; } = [];

    /// <summary>
    /// How long the group coordinator waits for more members before the first rebalance of an empty group, in ms.
    /// The default is 0 (Kafka's own default is 3000), so tests and local runs join groups without a 3 s pause.
    /// </summary>
    public int GroupInitialRebalanceDelayMs { get; set; }
}
