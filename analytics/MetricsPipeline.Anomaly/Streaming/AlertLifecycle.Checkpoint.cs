namespace MetricsPipeline.Anomaly.Streaming;

/// <content>Checkpoint of the lifecycle (open state, severity, notification and quiet-window counters).</content>
public sealed partial class AlertLifecycle
{
    /// <summary>Writes the state, so <see cref="RestoreCheckpoint"/> on an identically configured lifecycle continues identically.</summary>
    public void SaveCheckpoint(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(IsOpen);
        writer.Write(OpenedAtNs);
        writer.Write(Severity);
        writer.Write(_lastOpenNs);
        writer.Write(_lastNotifiedNs);
        writer.Write(_quietWindows);
    }

    /// <summary>Replaces the state with one written by <see cref="SaveCheckpoint"/>.</summary>
    public void RestoreCheckpoint(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        IsOpen = reader.ReadBoolean();
        OpenedAtNs = reader.ReadInt64();
        Severity = reader.ReadInt32();
        _lastOpenNs = reader.ReadInt64();
        _lastNotifiedNs = reader.ReadInt64();
        _quietWindows = reader.ReadInt32();
    }
}
