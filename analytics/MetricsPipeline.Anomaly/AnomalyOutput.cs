namespace MetricsPipeline.Anomaly;

/// <summary>
/// One detector output row. Fields a detector does not produce are <see cref="double.NaN"/>.
/// <see cref="AnomalyScore"/> is always in [0, 1] so that every detector can be scored by NAB.
/// </summary>
/// <param name="Alert">Whether the detector raised an alert on this row.</param>
/// <param name="Score">The raw score (ML.NET's "Score" / "Raw Score" column).</param>
/// <param name="PValue">The p-value of the raw score (spike and change-point detectors), else NaN.</param>
/// <param name="Martingale">The martingale value (change-point detectors), else NaN.</param>
/// <param name="Magnitude">The spectral-residual magnitude (SR-CNN), else NaN.</param>
/// <param name="Expected">The expected value (SR-CNN entire, expected-value and margin modes), else NaN.</param>
/// <param name="Upper">The upper boundary (SR-CNN entire, margin mode), else NaN.</param>
/// <param name="Lower">The lower boundary (SR-CNN entire, margin mode), else NaN.</param>
/// <param name="AnomalyScore">A score in [0, 1]; higher means more anomalous.</param>
public readonly record struct AnomalyOutput(
    bool Alert,
    double Score,
    double PValue,
    double Martingale,
    double Magnitude,
    double Expected,
    double Upper,
    double Lower,
    double AnomalyScore)
{
    /// <summary>An output with every optional column set to NaN.</summary>
    public static AnomalyOutput Empty { get; } = new(false, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
}
