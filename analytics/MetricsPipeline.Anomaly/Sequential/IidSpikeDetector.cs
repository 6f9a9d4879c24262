namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>ML.NET's IID spike detector: raw score = the value; outputs [Alert, Score, P-Value]. Not thread-safe.</summary>
public sealed class IidSpikeDetector : SequentialAnomalyDetector
{
    /// <summary>Creates the detector.</summary>
    public IidSpikeDetector(IidSpikeDetectorOptions options)
        : base("iid-spike", (options ?? throw new ArgumentNullException(nameof(options))).Confidence, options.PvalueHistoryLength, options.Side, null)
    {
    }

    /// <inheritdoc />
    protected override double ComputeRawScore(float value) => value;
}
