namespace MetricsPipeline.Testing;

/// <summary>Where an <see cref="InfluxDbServer"/> comes from.</summary>
public enum InfluxDbServerKind
{
    /// <summary>An existing server named by <c>METRICSPIPELINE_TEST_INFLUXDB_URL</c>; it cannot be stopped.</summary>
    External,

    /// <summary>A Testcontainers container running <c>influxdb:1.8</c>.</summary>
    Container,

    /// <summary>The local <c>influxd</c> binary started as a child process with its own config and temp directory.</summary>
    LocalProcess,
}
