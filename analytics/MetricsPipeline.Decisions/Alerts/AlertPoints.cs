using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Decisions.Alerts;

/// <summary>Turns alert events into <see cref="MetricPoint"/>s for InfluxDB (measurement <c>alert</c>), for dashboards' annotations. Thread-safe.</summary>
public static class AlertPoints
{
    /// <summary>The measurement name.</summary>
    public const string Measurement = "alert";

    /// <summary>
    /// One point at the event time: tags kind, rule, service, severity, status (sorted, as line protocol prefers);
    /// fields value, threshold, renotification and summary.
    /// </summary>
    public static MetricPoint ToPoint(AlertEnvelope alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        long ns = (alert.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return new MetricPoint(Measurement,
        [
            new("kind", Snake(alert.Kind.ToString())),
            new("rule", alert.Rule),
            new("service", alert.Service),
            new("severity", Snake(alert.Severity.ToString())),
            new("status", Snake(alert.Status.ToString())),
        ],
        [
            new("value", FieldValue.FromDouble(alert.Value)),
            new("threshold", FieldValue.FromDouble(alert.Threshold)),
            new("renotification", FieldValue.FromBoolean(alert.Renotification)),
            new("summary", FieldValue.FromString(alert.Summary)),
        ], ns);
    }

    private static string Snake(string name) => name.ToLowerInvariant();
}
