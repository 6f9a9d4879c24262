namespace MetricsPipeline.Anomaly;

/// <summary>
/// A one-step forecaster that the prediction-error detectors (SSA spike / change point) build on: the SSA modeler of
/// MetricsPipeline.Forecasting is expected to implement it. The detector reads <see cref="NextPrediction"/>, then calls
/// <see cref="Consume"/> with the observation (ML.NET's batch order).
/// </summary>
public interface IPredictionErrorSource
{
    /// <summary>The forecast for the next observation, in ML.NET's float32 precision.</summary>
    float NextPrediction { get; }

    /// <summary>Updates the model's state with the observation.</summary>
    void Consume(float value);

    /// <summary>Writes the model state.</summary>
    void SaveCheckpoint(BinaryWriter writer);

    /// <summary>Restores a state written by <see cref="SaveCheckpoint"/>.</summary>
    void RestoreCheckpoint(BinaryReader reader);

    /// <summary>Returns to the state the source had when the detector was created (the trained model). The default does nothing.</summary>
    void Reset()
    {
    }
}
