namespace MetricsPipeline.Anomaly.Sequential;

/// <summary>Parameters of <see cref="IidSpikeDetector"/>, named as in ML.NET's <c>DetectIidSpike</c>.</summary>
public sealed class IidSpikeDetectorOptions
{
    /// <summary>Confidence in percent; alert when p ≤ 1 − confidence/100. The default is 99.</summary>
    public double Confidence { get; set; } = 99;

    /// <summary>Number of past raw scores in the p-value's kernel density. The default is 100.</summary>
    public int PvalueHistoryLength { get; set; } = 100;

    /// <summary>Which tail is anomalous. The default is <see cref="AnomalySide.TwoSided"/>.</summary>
    public AnomalySide Side { get; set; } = AnomalySide.TwoSided;
}
