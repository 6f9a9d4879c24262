using MetricsPipeline.Decisions.Alerts;

namespace MetricsPipeline.Decisions.Cost;

/// <summary>
/// A <c>cost-alert/v1</c> message for the <c>cost-alerts</c> topic (schema: <c>schemas/cost-alert.v1.schema.json</c>),
/// keyed by scope. Serialise with <see cref="Commands.DecisionJson.Options"/>. Immutable.
/// </summary>
public sealed record CostAlert
{
    /// <summary>The schema identifier of this message version.</summary>
    public const string SchemaName = "cost-alert/v1";

    /// <summary>Always <see cref="SchemaName"/>.</summary>
    public string Schema { get; init; } = SchemaName;

    /// <summary>Deterministic id (type, scope, budget, period, threshold, day), so replays deduplicate.</summary>
    public required string Id { get; init; }

    /// <summary>What the alert reports.</summary>
    public required CostAlertType Type { get; init; }

    /// <summary>How urgent it is.</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>A service name or <c>total</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>The budget name (budget alerts only).</summary>
    public string? Budget { get; init; }

    /// <summary>The budget period (budget alerts only).</summary>
    public BudgetPeriod? Period { get; init; }

    /// <summary>First day of the period or of the observation.</summary>
    public required DateOnly PeriodStart { get; init; }

    /// <summary>Last day of the period or of the observation.</summary>
    public required DateOnly PeriodEnd { get; init; }

    /// <summary>The crossed threshold in percent of the budget (budget alerts), or the ratio to the average in percent (anomalies).</summary>
    public double? ThresholdPercent { get; init; }

    /// <summary>The amount the alert is about: spend to date, forecast spend, the day's cost or usage, or the monthly saving.</summary>
    public required double Amount { get; init; }

    /// <summary>The reference: the budget amount, or the 7-day average.</summary>
    public double? Reference { get; init; }

    /// <summary>Confidence of a forecast in [0, 1] (forecast alerts only).</summary>
    public double? Confidence { get; init; }

    /// <summary>Human-readable summary.</summary>
    public required string Summary { get; init; }

    /// <summary>The day the alert was evaluated for.</summary>
    public required DateOnly Day { get; init; }
}
