namespace MetricsPipeline.Decisions.Alerts;

/// <summary>What an alert event reports (serialised in snake_case).</summary>
public enum AlertStatus
{
    /// <summary>The condition holds (new, escalated, de-escalated, or re-notified).</summary>
    Firing,

    /// <summary>The condition cleared.</summary>
    Resolved,

    /// <summary>The alert changes state too often; notifications are suppressed until it settles.</summary>
    Flapping,
}
