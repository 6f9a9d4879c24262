namespace MetricsPipeline.Decisions.Alerts;

/// <summary>Which detector raised an alert; the <c>alerts</c> topic carries both kinds in the same envelope.</summary>
public enum AlertKind
{
    /// <summary>A static threshold rule.</summary>
    Threshold,

    /// <summary>An anomaly detector.</summary>
    Anomaly,
}
