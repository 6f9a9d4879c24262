namespace MetricsPipeline.Decisions.Cost;

/// <summary>What a cost alert reports (serialised in snake_case).</summary>
public enum CostAlertType
{
    /// <summary>Actual spend in the period crossed a budget threshold.</summary>
    BudgetActual,

    /// <summary>Forecast end-of-period spend crosses a budget threshold.</summary>
    BudgetForecast,

    /// <summary>A day's cost is above 150 % of its 7-day average.</summary>
    CostAnomaly,

    /// <summary>A day's usage is above 2× its 7-day average.</summary>
    UsageSpike,

    /// <summary>A resource is under-utilised; the alert carries the estimated saving.</summary>
    Recommendation,
}
