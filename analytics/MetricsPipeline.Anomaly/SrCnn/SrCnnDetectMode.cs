namespace MetricsPipeline.Anomaly.SrCnn;

/// <summary>Output mode of <see cref="SrCnnEntireDetector"/> (ML.NET's <c>SrCnnDetectMode</c>).</summary>
public enum SrCnnDetectMode
{
    /// <summary>IsAnomaly, RawScore, Mag.</summary>
    AnomalyOnly,

    /// <summary>Adds ExpectedValue.</summary>
    AnomalyAndExpectedValue,

    /// <summary>Adds ExpectedValue, BoundaryUnit, UpperBoundary and LowerBoundary; an anomaly must also leave the boundaries.</summary>
    AnomalyAndMargin,
}
