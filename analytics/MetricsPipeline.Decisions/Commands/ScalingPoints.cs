using System.Text.Json;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Decisions.Commands;

/// <summary>Turns scaling commands into <see cref="MetricPoint"/>s for InfluxDB (measurement <c>scaling</c>), for dashboards' annotations and audits. Thread-safe.</summary>
public static class ScalingPoints
{
    /// <summary>The measurement name.</summary>
    public const string Measurement = "scaling";

    /// <summary>
    /// One point at the decision time: tags action, rule, service, trigger (sorted); fields current_instances,
    /// target_instances, confidence, estimated_monthly_cost_delta, advisory, id and the whole <c>scaling-command/v1</c>
    /// message as <c>command</c> (so the audit trail in InfluxDB holds exactly what was published).
    /// </summary>
    public static MetricPoint ToPoint(ScalingCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        long ns = (command.IssuedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return new MetricPoint(Measurement,
        [
            new("action", Snake(command.Action.ToString())),
            new("rule", command.Rule),
            new("service", command.Service),
            new("trigger", Snake(command.Trigger.ToString())),
        ],
        [
            new("current_instances", FieldValue.FromInt64(command.CurrentInstances)),
            new("target_instances", FieldValue.FromInt64(command.TargetInstances)),
            new("confidence", FieldValue.FromDouble(command.Confidence)),
            new("estimated_monthly_cost_delta", FieldValue.FromDouble(command.EstimatedMonthlyCostDelta)),
            new("advisory", FieldValue.FromBoolean(command.Advisory)),
            new("id", FieldValue.FromString(command.Id)),
            new("command", FieldValue.FromString(ScalingCommandJson.ToJson(command))),
        ], ns);
    }

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
