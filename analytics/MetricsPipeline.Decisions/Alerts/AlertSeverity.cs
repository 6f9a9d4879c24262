namespace MetricsPipeline.Decisions.Alerts;

/// <summary>Alert levels, lowest first (serialised in snake_case).</summary>
public enum AlertSeverity
{
    /// <summary>Needs attention soon.</summary>
    Warning,

    /// <summary>Needs attention now.</summary>
    Critical,

    /// <summary>Service at risk: page everyone.</summary>
    Emergency,
}
