namespace MetricsPipeline.Anomaly.Ssa;

/// <summary>
/// Parameters of the SSA spike and change-point detectors, named as in ML.NET's <c>DetectSpikeBySsa</c> /
/// <c>DetectChangePointBySsa</c>. <see cref="HistoryLength"/> is the p-value history (spike) or change history
/// (change point).
/// </summary>
public sealed class SsaDetectorOptions
{
    /// <summary>Confidence in percent. The default is 99 (ML.NET's spike default; its change-point default is 95).</summary>
    public double Confidence { get; set; } = 99;

    /// <summary>W: pvalueHistoryLength (spike) or changeHistoryLength (change point). The default is 100.</summary>
    public int HistoryLength { get; set; } = 100;

    /// <summary>trainingWindowSize: the leading rows the SSA model is trained on. The default is 100.</summary>
    public int TrainingWindowSize { get; set; } = 100;

    /// <summary>seasonalityWindowSize: the SSA window L (series length L + 1, max rank L / 2). The default is 10.</summary>
    public int SeasonalityWindowSize { get; set; } = 10;

    /// <summary>Which tail is anomalous (spike only; change points are two-sided). The default is two-sided.</summary>
    public AnomalySide Side { get; set; } = AnomalySide.TwoSided;

    /// <summary>How the prediction error becomes the raw score. The default is <see cref="ErrorFunction.SignedDifference"/>.</summary>
    public ErrorFunction ErrorFunction { get; set; } = ErrorFunction.SignedDifference;

    /// <summary>The martingale of the change-point detector (ignored for spikes). The default is <see cref="MartingaleType.Power"/>.</summary>
    public MartingaleType Martingale { get; set; } = MartingaleType.Power;

    /// <summary>ε of the power martingale. The default is 0.1.</summary>
    public double PowerMartingaleEpsilon { get; set; } = 0.1;

    /// <summary>ML.NET's prediction-engine order (consume, then read the next prediction). The default is false (batch).</summary>
    public bool EngineMode { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> if a parameter is out of range (ML.NET's checks).</summary>
    /// <exception cref="ArgumentException">A parameter is invalid.</exception>
    public void Validate()
    {
        if (SeasonalityWindowSize < 2)
        {
            throw new ArgumentException($"The seasonality window size should be at least 2 (got {SeasonalityWindowSize}).", nameof(SeasonalityWindowSize));
        }

        if (TrainingWindowSize <= 2 * SeasonalityWindowSize)
        {
            throw new ArgumentException($"The training window size should be greater than 2 * seasonality window size (got {TrainingWindowSize} <= 2 * {SeasonalityWindowSize}).", nameof(TrainingWindowSize));
        }

        if (HistoryLength < 2)
        {
            throw new ArgumentException($"The history length should be at least 2 (got {HistoryLength}).", nameof(HistoryLength));
        }

        if (Confidence <= 0 || Confidence >= 100)
        {
            throw new ArgumentException($"The confidence should be in (0, 100) (got {Confidence}).", nameof(Confidence));
        }
    }
}
