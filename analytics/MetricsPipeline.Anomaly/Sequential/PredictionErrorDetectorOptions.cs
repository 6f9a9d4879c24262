namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>
/// Parameters of <see cref="PredictionErrorDetector"/>, the base of the SSA spike and change-point detectors (ML.NET's
/// <c>DetectSpikeBySsa</c> / <c>DetectChangePointBySsa</c>). The SSA window sizes belong to the forecaster that supplies
/// the predictions.
/// </summary>
public sealed class PredictionErrorDetectorOptions
{
    /// <summary>Confidence in percent. ML.NET's default is 99 for spikes and 95 for change points; the default here is 99.</summary>
    public double Confidence { get; set; } = 99;

    /// <summary>W: p-value history (spike) or change history (change point). The default is 100.</summary>
    public int HistoryLength { get; set; } = 100;

    /// <summary>Which tail is anomalous (spike mode only; change points are two-sided). The default is two-sided.</summary>
    public AnomalySide Side { get; set; } = AnomalySide.TwoSided;

    /// <summary>How the prediction error becomes a raw score. The default is <see cref="ErrorFunction.SignedDifference"/>.</summary>
    public ErrorFunction ErrorFunction { get; set; } = ErrorFunction.SignedDifference;

    /// <summary>The martingale; <see langword="null"/> makes a spike detector. The default is null.</summary>
    public MartingaleType? Martingale { get; set; }

    /// <summary>ε of the power martingale. The default is 0.1.</summary>
    public double PowerMartingaleEpsilon { get; set; } = 0.1;

    /// <summary>
    /// ML.NET's prediction-engine quirk: the model consumes the point before the error is computed, so the error is
    /// against the forecast for the next row. The default is false (batch semantics).
    /// </summary>
    public bool EngineMode { get; set; }
}
