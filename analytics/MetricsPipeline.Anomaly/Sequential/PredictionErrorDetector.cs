namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>
/// Spike or change-point detection on the one-step prediction error of an <see cref="IPredictionErrorSource"/>: with the
/// SSA modeler as the source this is ML.NET's SSA spike / change-point detector. Not thread-safe.
/// </summary>
public sealed class PredictionErrorDetector : SequentialAnomalyDetector
{
    private readonly IPredictionErrorSource _source;
    private readonly ErrorFunction _errorFunction;
    private readonly bool _engineMode;

    /// <summary>Creates the detector over a trained prediction source.</summary>
    public PredictionErrorDetector(IPredictionErrorSource source, PredictionErrorDetectorOptions options)
        : base(
            "prediction-error",
            (options ?? throw new ArgumentNullException(nameof(options))).Confidence,
            options.HistoryLength,
            options.Martingale is null ? options.Side : AnomalySide.TwoSided,
            options.Martingale is { } m ? new SlidingMartingale(options.HistoryLength, m, options.PowerMartingaleEpsilon) : null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _errorFunction = options.ErrorFunction;
        _engineMode = options.EngineMode;
    }

    /// <summary>Applies an ML.NET error function to (observed, predicted).</summary>
    public static double Error(ErrorFunction function, float observed, float predicted) => function switch
    {
        ErrorFunction.AbsoluteDifference => Math.Abs(observed - predicted),
        ErrorFunction.SignedProportion => predicted == 0 ? 0 : (observed - predicted) / predicted,
        ErrorFunction.AbsoluteProportion => predicted == 0 ? 0 : Math.Abs((observed - predicted) / predicted),
        ErrorFunction.SquaredDifference => (observed - predicted) * (observed - predicted),
        _ => observed - predicted,
    };

    /// <inheritdoc />
    protected override double ComputeRawScore(float value)
    {
        if (_engineMode)
        {
            _source.Consume(value);
            return Error(_errorFunction, value, _source.NextPrediction);
        }

        var prediction = _source.NextPrediction;
        _source.Consume(value);
        return Error(_errorFunction, value, prediction);
    }

    /// <inheritdoc />
    protected override void ResetModel() => _source.Reset();

    /// <inheritdoc />
    protected override void SaveModel(BinaryWriter writer) => _source.SaveCheckpoint(writer);

    /// <inheritdoc />
    protected override void RestoreModel(BinaryReader reader) => _source.RestoreCheckpoint(reader);
}
