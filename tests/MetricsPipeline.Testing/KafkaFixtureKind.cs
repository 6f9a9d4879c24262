namespace MetricsPipeline.Testing;

/// <summary>Where the Kafka server of a <see cref="KafkaFixture"/> comes from.</summary>
public enum KafkaFixtureKind
{
    /// <summary>No server could be obtained.</summary>
    None,

    /// <summary>An existing server named by the <c>METRICSPIPELINE_TEST_KAFKA</c> environment variable.</summary>
    Environment,

    /// <summary>A Kafka container started with Testcontainers.</summary>
    Testcontainers,

    /// <summary>The in-process librdkafka mock cluster (<see cref="MetricsPipeline.Kafka.EmbeddedKafkaBroker"/>).</summary>
    Embedded,
}
