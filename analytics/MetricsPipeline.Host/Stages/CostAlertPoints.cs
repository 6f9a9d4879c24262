using System.Text.Json;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Cost alerts as points of the shared <c>alert</c> measurement, so one alert timeline shows threshold, anomaly and
/// cost alerts: tags kind (<c>cost</c>), rule (the cost alert type, e.g. <c>cost_anomaly</c>, <c>budget_forecast</c>),
/// service (the scope: a service or <c>total</c>), severity, status (<c>firing</c>); fields value (the amount),
/// threshold (percent of the budget or of the average), reference, summary, id. Timestamped at the end of the
/// evaluated day.
/// </summary>
internal static class CostAlertPoints
{
    /// <summary>The point of <paramref name="alert"/>.</summary>
    public static MetricPoint ToPoint(CostAlert alert)
    {
        var fields = new List<KeyValuePair<string, FieldValue>>
        {
            new("value", FieldValue.FromDouble(alert.Amount)),
            new("threshold", FieldValue.FromDouble(alert.ThresholdPercent ?? 0)),
            new("summary", FieldValue.FromString(alert.Summary)),
            new("id", FieldValue.FromString(alert.Id)),
        };
        if (alert.Reference is { } reference)
        {
            fields.Add(new("reference", FieldValue.FromDouble(reference)));
        }

        var at = new DateTimeOffset(alert.Day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new MetricPoint(AlertPoints.Measurement,
        [
            new("kind", "cost"),
            new("rule", JsonNamingPolicy.SnakeCaseLower.ConvertName(alert.Type.ToString())),
            new("service", alert.Scope),
            new("severity", alert.Severity.ToString().ToLowerInvariant()),
            new("status", "firing"),
        ], fields, (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);
    }
}
