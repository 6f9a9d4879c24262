namespace MetricsPipeline.Testing;

/// <summary>No InfluxDB server could be found or started for integration tests.</summary>
public sealed class InfluxDbUnavailableException : Exception
{
    public InfluxDbUnavailableException()
    {
    }

    public InfluxDbUnavailableException(string message)
        : base(message)
    {
    }

    public InfluxDbUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
