using MetricsPipeline.Anomaly.Numerics;

namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>
/// ML.NET's <c>SequentialAnomalyDetectionTransformBase</c> as an online object: a raw score per point (supplied by the
/// subclass), its kernel p-value over the last W raw scores, and either a p-value alert (spike detectors) or a sliding
/// martingale alert with a W-row refractory period (change-point detectors). No alert is raised before W scores have
/// been seen. Not thread-safe; allocation-free per point.
/// </summary>
public abstract class SequentialAnomalyDetector : IAnomalyDetector
{
    private readonly string _kind;
    private readonly double _confidence;
    private readonly AnomalySide _side;
    private readonly KernelPValueEstimator _pValues;
    private readonly SlidingMartingale? _martingale;
    private readonly double _martingaleThreshold;
    private readonly int _historyLength;
    private int _refractory;

    /// <summary>Creates a spike detector (martingale null) or a change-point detector.</summary>
    /// <param name="kind">A name stored in checkpoints.</param>
    /// <param name="confidence">Confidence in percent, in (0, 100).</param>
    /// <param name="historyLength">W: the p-value history length (spike) or change history length (change point).</param>
    /// <param name="side">The p-value side.</param>
    /// <param name="martingale">The martingale for a change-point detector, or null for a spike detector.</param>
    protected SequentialAnomalyDetector(string kind, double confidence, int historyLength, AnomalySide side, SlidingMartingale? martingale)
    {
        if (confidence <= 0 || confidence >= 100)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must be in (0, 100).");
        }

        _kind = kind;
        _confidence = confidence;
        _side = side;
        _historyLength = historyLength;
        _pValues = new KernelPValueEstimator(historyLength);
        _martingale = martingale;
        _martingaleThreshold = martingale?.Threshold(confidence) ?? double.MaxValue;
    }

    /// <summary>The martingale alert threshold (change-point detectors), else <see cref="double.MaxValue"/>.</summary>
    public double MartingaleThreshold => _martingaleThreshold;

    /// <inheritdoc />
    public AnomalyOutput Next(double value)
    {
        if (double.IsNaN(value))
        {
            return AnomalyOutput.Empty with { Score = double.NaN };
        }

        var raw = ComputeRawScore((float)value);
        var p = KernelPValueEstimator.ApplySide(_pValues.Update(raw), _side);
        var canAlert = _pValues.IsFull;
        if (_martingale is null)
        {
            var alert = canAlert && p <= 1 - (_confidence / 100.0);
            return new AnomalyOutput(alert, raw, p, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 1 - p);
        }

        var m = _martingale.Update(p);
        if (_refractory > 0)
        {
            _refractory--;
        }

        var changed = canAlert && _refractory == 0 && m >= _martingaleThreshold;
        if (changed)
        {
            _refractory = _historyLength;
        }

        // M / (M + threshold) is 0.5 exactly at the alert threshold and monotone in M.
        var score = double.IsInfinity(m) ? 1.0 : m / (m + _martingaleThreshold);
        return new AnomalyOutput(changed, raw, p, m, double.NaN, double.NaN, double.NaN, double.NaN, score);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _pValues.Reset();
        _martingale?.Reset();
        _refractory = 0;
        ResetModel();
    }

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Checkpoint.WriteHeader(writer, _kind);
        _pValues.Save(writer);
        _martingale?.Save(writer);
        writer.Write(_refractory);
        SaveModel(writer);
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Checkpoint.ReadHeader(reader, _kind);
        _pValues.Restore(reader);
        _martingale?.Restore(reader);
        _refractory = reader.ReadInt32();
        RestoreModel(reader);
    }

    /// <summary>The raw score of the next observation (ML.NET passes it as float32).</summary>
    protected abstract double ComputeRawScore(float value);

    /// <summary>Resets the raw-score model, if any.</summary>
    protected virtual void ResetModel()
    {
    }

    /// <summary>Writes the raw-score model's state, if any.</summary>
    protected virtual void SaveModel(BinaryWriter writer)
    {
    }

    /// <summary>Restores the raw-score model's state, if any.</summary>
    protected virtual void RestoreModel(BinaryReader reader)
    {
    }
}
