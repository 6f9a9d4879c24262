namespace MetricsPipeline.Anomaly.Streaming;

/// <summary>
/// Receives emergency signals from anomaly detection (the scaling stage implements it). Called on the pipeline's
/// thread, in event-time order; implementations must not block and should not throw (an exception is logged and the
/// detection stage carries on).
/// </summary>
public interface IEmergencySignalListener
{
    /// <summary>A traffic spike: scale <see cref="TrafficSpikeSignal.Service"/> out now.</summary>
    void OnTrafficSpike(TrafficSpikeSignal signal);
}
