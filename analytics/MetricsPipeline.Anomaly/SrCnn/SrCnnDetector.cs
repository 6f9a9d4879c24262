using MetricsPipeline.Anomaly.Numerics;

namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>
/// ML.NET's streaming SR-CNN detector (<c>DetectAnomalyBySrCnn</c>): for each point the spectral residual of the last
/// <c>windowSize</c> points is computed and the newest point is judged against the trailing mean of the saliency map.
/// Outputs [Alert, Raw Score, Mag]; rows before the window is full output zeros. Not thread-safe; allocation-free per point.
/// </summary>
public sealed class SrCnnDetector : IAnomalyDetector
{
    private const string Kind = "srcnn";
    private readonly SrCnnDetectorOptions _options;
    private readonly Ring<double> _window;
    private readonly StreamingSpectralResidual _transform;
    private readonly double[] _values;
    private readonly double[] _saliency;

    /// <summary>Creates the detector.</summary>
    public SrCnnDetector(SrCnnDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _window = new Ring<double>(options.WindowSize);
        _transform = new StreamingSpectralResidual(options.WindowSize, options.BackAddWindowSize, options.LookaheadWindowSize, options.AveragingWindowSize, options.JudgementWindowSize);
        _values = new double[options.WindowSize];
        _saliency = new double[options.JudgementWindowSize];
    }

    /// <inheritdoc />
    public AnomalyOutput Next(double value)
    {
        if (double.IsNaN(value))
        {
            return AnomalyOutput.Empty with { Score = double.NaN, Magnitude = double.NaN };
        }

        _window.Add((float)value);
        if (!_window.IsFull)
        {
            return AnomalyOutput.Empty with { Magnitude = 0 };
        }

        _window.CopyTo(_values);
        var judgement = _options.JudgementWindowSize;
        _transform.Transform(_values, _saliency);
        double sum = 0;
        for (var i = 0; i < judgement; i++)
        {
            sum += _saliency[i];
        }

        var magnitude = _saliency[judgement - 1];
        var score = SpectralResidual.Score(magnitude, sum / judgement);
        return new AnomalyOutput(score > _options.Threshold, score, double.NaN, double.NaN, magnitude, double.NaN, double.NaN, double.NaN, score);
    }

    /// <inheritdoc />
    public void Reset() => _window.Clear();

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Checkpoint.WriteHeader(writer, Kind);
        _window.Save(writer);
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Checkpoint.ReadHeader(reader, Kind);
        _window.Restore(reader);
    }
}
