namespace MetricsPipeline.Forecasting.Streaming;

/// <content>Checkpoint of the buffered history, the training schedule and the model (through <see cref="SsaCheckpoint"/>).</content>
public sealed partial class OnlineSeriesForecaster
{
    /// <summary>Writes the full state, so <see cref="RestoreCheckpoint(BinaryReader)"/> on an identically configured forecaster continues identically.</summary>
    public void SaveCheckpoint(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_values.Length);
        for (var i = 0; i < _values.Length; i++)
        {
            writer.Write(_values[i]);
            writer.Write(_starts[i]);
        }

        writer.Write(_head);
        writer.Write(_count);
        writer.Write(_lastStartNs);
        writer.Write(_retryAt);
        writer.Write(ModelVersion);
        writer.Write(StoreVersion);
        writer.Write(Score);
        writer.Write(TrainFailures);
        writer.Write(Model is not null);
        if (Model is { } model)
        {
            using var buffer = new MemoryStream();
            SsaCheckpoint.Save(model, buffer);
            writer.Write((int)buffer.Length);
            writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        writer.Write(_modelThroughNs);
        for (var i = 0; i < _filled.Length; i++)
        {
            writer.Write(_filled[i]);
        }
    }

    /// <summary>
    /// Replaces the state with one written by <see cref="SaveCheckpoint"/>; <see cref="InvalidDataException"/> when it
    /// was written with a different history capacity.
    /// </summary>
    public void RestoreCheckpoint(BinaryReader reader) => RestoreCheckpoint(reader, withModelThrough: true);

    /// <summary>
    /// <see cref="RestoreCheckpoint(BinaryReader)"/>; <paramref name="withModelThrough"/> false reads the engine state of
    /// version 1, written before <see cref="ModelThroughNs"/> and the filled-window marks were saved (the model then
    /// includes every buffered window, and they read as observed).
    /// </summary>
    internal void RestoreCheckpoint(BinaryReader reader, bool withModelThrough)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var capacity = reader.ReadInt32();
        if (capacity != _values.Length)
        {
            throw new InvalidDataException($"The checkpoint buffers {capacity} values, this forecaster {_values.Length}.");
        }

        for (var i = 0; i < capacity; i++)
        {
            _values[i] = reader.ReadDouble();
            _starts[i] = reader.ReadInt64();
        }

        _head = reader.ReadInt32();
        _count = reader.ReadInt32();
        if ((uint)_head >= (uint)capacity || (uint)_count > (uint)capacity)
        {
            throw new InvalidDataException("The checkpoint's ring position is out of range.");
        }

        _lastStartNs = reader.ReadInt64();
        _retryAt = reader.ReadInt32();
        ModelVersion = reader.ReadString();
        StoreVersion = reader.ReadInt32();
        Score = reader.ReadDouble();
        TrainFailures = reader.ReadInt32();
        Model = null;
        if (reader.ReadBoolean())
        {
            var length = reader.ReadInt32();
            using var buffer = new MemoryStream(reader.ReadBytes(length), writable: false);
            Model = SsaCheckpoint.Load(buffer);
        }

        _modelThroughNs = withModelThrough ? reader.ReadInt64() : Model is null ? long.MinValue : _lastStartNs;
        for (var i = 0; i < capacity; i++)
        {
            // Version 1 did not mark the filled windows: read as observed, as they were consumed then.
            _filled[i] = withModelThrough && reader.ReadBoolean();
        }
    }
}
