namespace MetricsPipeline.Host.Anomaly;

/// <summary>Where alert messages go (the alerts Kafka topic in production; a list in tests).</summary>
public interface IAlertPublisher : IAsyncDisposable
{
    /// <summary>Queues one message keyed by service. Must not block for long; failures are the publisher's to log.</summary>
    void Publish(string key, byte[] value);
}
