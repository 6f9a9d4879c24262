namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>How <see cref="SrCnnEntireDetector"/> removes a known period before scoring (ML.NET's <c>SrCnnDeseasonalityMode</c>).</summary>
public enum SrCnnDeseasonalityMode
{
    /// <summary>Seasonal-trend decomposition (here: phase medians of the series minus a centred moving-average trend).</summary>
    Stl,

    /// <summary>Subtract the mean of each phase.</summary>
    Mean,

    /// <summary>Subtract the median of each phase.</summary>
    Median,
}
