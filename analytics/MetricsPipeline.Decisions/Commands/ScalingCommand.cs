using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Commands;

/// <summary>
/// A <c>scaling-command/v1</c> message (schema: <c>schemas/scaling-command.v1.schema.json</c>). Published keyed by
/// <see cref="Service"/>; consumers deduplicate on <see cref="Id"/>, which a replay of the same input reproduces.
/// Serialise with <see cref="ScalingCommandJson"/>. Immutable and thread-safe.
/// </summary>
public sealed record ScalingCommand
{
    /// <summary>The schema identifier of this message version.</summary>
    public const string SchemaName = "scaling-command/v1";

    /// <summary>Always <see cref="SchemaName"/>.</summary>
    public string Schema { get; init; } = SchemaName;

    /// <summary>Deterministic idempotency key (see <see cref="ScalingCommandId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The service to scale (also the Kafka key).</summary>
    public required string Service { get; init; }

    /// <summary>The direction.</summary>
    public required ScalingAction Action { get; init; }

    /// <summary>The instance count the decision started from.</summary>
    public required int CurrentInstances { get; init; }

    /// <summary>The instance count to reach.</summary>
    public required int TargetInstances { get; init; }

    /// <summary>What produced the command.</summary>
    public required ScalingTrigger Trigger { get; init; }

    /// <summary>The rule that fired, e.g. <c>cpu_sustained</c>, <c>forecast_upper_bound</c>.</summary>
    public required string Rule { get; init; }

    /// <summary>A human-readable reason.</summary>
    public required string Reason { get; init; }

    /// <summary>The metric values behind the decision (snake_case names, NaN-free).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>The forecast behind a predictive decision; null otherwise.</summary>
    public ForecastInfo? Forecast { get; init; }

    /// <summary>Confidence in the decision, in [0, 1] (1 for rules on observed metrics).</summary>
    public required double Confidence { get; init; }

    /// <summary>Whether the command is advice only (predictive forecast-only mode); consumers must not apply it.</summary>
    public bool Advisory { get; init; }

    /// <summary>Estimated change of the monthly cost if applied, in the price table's currency (may be negative).</summary>
    public required double EstimatedMonthlyCostDelta { get; init; }

    /// <summary>When the decision was made (the evaluation time, not the wall clock).</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Until when the service will not be scaled again in the same direction.</summary>
    public required DateTimeOffset CooldownUntil { get; init; }

    /// <summary>After this time the command is stale and consumers drop it.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
