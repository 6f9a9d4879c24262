namespace MetricsPipeline.Anomaly;

/// <summary>Which tail of the p-value counts as anomalous (ML.NET's <c>AnomalySide</c>).</summary>
public enum AnomalySide
{
    /// <summary>Only unusually high raw scores are anomalous.</summary>
    Positive,

    /// <summary>Only unusually low raw scores are anomalous.</summary>
    Negative,

    /// <summary>Both tails are anomalous (ML.NET's default).</summary>
    TwoSided,
}
