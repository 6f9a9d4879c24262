using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Anomaly.Ssa;

/// <summary>
/// The SSA modeler of MetricsPipeline.Forecasting as the prediction source of <see cref="Sequential.PredictionErrorDetector"/>.
/// The checkpoint embeds the forecaster's own versioned checkpoint, so a restored source continues bit for bit.
/// Not thread-safe.
/// </summary>
public sealed class SsaPredictionSource : IPredictionErrorSource
{
    private readonly byte[] _trained;
    private SsaForecaster _model;

    /// <summary>Wraps a trained forecaster (the source takes ownership: it consumes every observation).</summary>
    public SsaPredictionSource(SsaForecaster model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        using var buffer = new MemoryStream();
        SsaCheckpoint.Save(model, buffer);
        _trained = buffer.ToArray();
    }

    /// <summary>The forecaster currently driven (replaced by <see cref="RestoreCheckpoint"/>).</summary>
    public SsaForecaster Model => _model;

    /// <inheritdoc />
    public float NextPrediction => (float)_model.NextPrediction;

    /// <inheritdoc />
    public void Consume(float value) => _model.Consume(value);

    /// <summary>Returns to the trained model (as <c>Fit</c> left it), discarding every consumed point.</summary>
    public void Reset()
    {
        using var stream = new MemoryStream(_trained, writable: false);
        _model = SsaCheckpoint.Load(stream);
    }

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var buffer = new MemoryStream();
        SsaCheckpoint.Save(_model, buffer);
        writer.Write((int)buffer.Length);
        writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var length = reader.ReadInt32();
        if (length <= 0)
        {
            throw new InvalidDataException($"Invalid SSA checkpoint length {length}.");
        }

        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new InvalidDataException("The SSA checkpoint is truncated.");
        }

        using var stream = new MemoryStream(bytes, writable: false);
        _model = SsaCheckpoint.Load(stream);
    }
}
