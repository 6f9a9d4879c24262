namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>
/// ML.NET's IID change-point detector: raw score = the value, two-sided p-values, a sliding martingale; outputs
/// [Alert, Score, P-Value, Martingale]. Not thread-safe.
/// </summary>
public sealed class IidChangePointDetector : SequentialAnomalyDetector
{
    /// <summary>Creates the detector.</summary>
    public IidChangePointDetector(IidChangePointDetectorOptions options)
        : base(
            "iid-changepoint",
            (options ?? throw new ArgumentNullException(nameof(options))).Confidence,
            options.ChangeHistoryLength,
            AnomalySide.TwoSided,
            new SlidingMartingale(options.ChangeHistoryLength, options.Martingale, options.PowerMartingaleEpsilon))
    {
    }

    /// <inheritdoc />
    protected override double ComputeRawScore(float value) => value;
}
