namespace MetricsPipeline.Anomaly;

/// <summary>
/// An online, per-series anomaly detector: it sees each point once, in order, and keeps a small state that can be
/// checkpointed and restored (so a streaming stage can move a series between workers). Instances are not thread-safe.
/// </summary>
public interface IAnomalyDetector
{
    /// <summary>Consumes the next observation and returns the output row for it. NaN inputs are passed through as non-alerts.</summary>
    AnomalyOutput Next(double value);

    /// <summary>Forgets everything seen so far, returning to the freshly constructed state.</summary>
    void Reset();

    /// <summary>Writes the full state, so that <see cref="RestoreCheckpoint"/> on an identically configured detector continues identically.</summary>
    void SaveCheckpoint(BinaryWriter writer);

    /// <summary>Replaces the state with one written by <see cref="SaveCheckpoint"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint was written by a different detector kind or configuration.</exception>
    void RestoreCheckpoint(BinaryReader reader);
}
