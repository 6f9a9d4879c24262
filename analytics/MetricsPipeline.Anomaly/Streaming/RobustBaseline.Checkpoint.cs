namespace MetricsPipeline.Anomaly.Streaming;

/// <content>Checkpoint of the baseline's window of values.</content>
public sealed partial class RobustBaseline
{
    /// <summary>Writes the window of values, so <see cref="RestoreCheckpoint"/> on an identically configured baseline continues identically.</summary>
    public void SaveCheckpoint(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _values.Save(writer);
    }

    /// <summary>Replaces the window of values with one written by <see cref="SaveCheckpoint"/>.</summary>
    public void RestoreCheckpoint(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _values.Restore(reader);
    }
}
