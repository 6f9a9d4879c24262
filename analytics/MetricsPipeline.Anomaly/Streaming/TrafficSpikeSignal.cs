namespace MetricsPipeline.Anomaly.Streaming;

/// <summary>
/// A service's request rate is far above its expected value: the scaling stage should scale out now instead of waiting
/// for its forecast. Emitted once per anomaly episode (when the alert opens) and again on re-notification.
/// </summary>
/// <param name="Service">The service.</param>
/// <param name="Timestamp">The start of the window that showed the spike (event time).</param>
/// <param name="Ratio">Actual / expected request rate.</param>
/// <param name="Expected">The expected request rate (robust baseline of the recent windows).</param>
/// <param name="Actual">The observed request rate of the window.</param>
public sealed record TrafficSpikeSignal(string Service, DateTimeOffset Timestamp, double Ratio, double Expected, double Actual);
