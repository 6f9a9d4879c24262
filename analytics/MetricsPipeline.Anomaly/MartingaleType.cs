namespace MetricsPipeline.Anomaly;

/// <summary>Betting function of the change-point martingale (ML.NET's <c>MartingaleType</c>).</summary>
public enum MartingaleType
{
    /// <summary>No martingale: the change-point detectors never alert.</summary>
    None,

    /// <summary>Power martingale, log b(p) = ln ε + (ε − 1) ln p.</summary>
    Power,

    /// <summary>Mixture martingale, the power martingale integrated over ε in [0, 1].</summary>
    Mixture,
}
