namespace MetricsPipeline.Host.Anomaly;

/// <summary>
/// An <c>alert/v1</c> message raised by anomaly detection (schema <c>schemas/alert-v1.schema.json</c>; the same envelope
/// as the decisions stage's threshold alerts, with <c>kind</c> = <c>anomaly</c>). Keyed by service on the alerts topic.
/// </summary>
/// <param name="Id">Deterministic id (32 hex digits) of series, detector, status and the event's window start.</param>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="Severity"><c>warning</c>, <c>critical</c> or <c>emergency</c> (for resolved events, the episode's highest).</param>
/// <param name="Rule">The detector, e.g. <c>anomaly:auto</c>.</param>
/// <param name="Service">The service (the group tag's value; the Kafka key).</param>
/// <param name="Metric">The monitored series, e.g. <c>request_rate</c>.</param>
/// <param name="Value">The observed value of the window.</param>
/// <param name="Threshold">The anomaly-score threshold of the severity.</param>
/// <param name="Summary">Human-readable summary.</param>
/// <param name="Playbook">First steps for this alert.</param>
/// <param name="Renotification">Whether this repeats an open alert.</param>
/// <param name="StartsAt">When the episode opened (window start).</param>
/// <param name="Timestamp">The event's window start.</param>
/// <param name="Labels">Detector details as strings: score, p_value, expected, lower, upper, detector, window.</param>
public sealed record AnomalyAlert(
    string Id,
    string Status,
    string Severity,
    string Rule,
    string Service,
    string Metric,
    double Value,
    double Threshold,
    string Summary,
    string Playbook,
    bool Renotification,
    DateTimeOffset StartsAt,
    DateTimeOffset Timestamp,
    IReadOnlyList<KeyValuePair<string, string>> Labels)
{
    /// <summary>The schema identifier.</summary>
    public const string SchemaName = "alert/v1";
}
