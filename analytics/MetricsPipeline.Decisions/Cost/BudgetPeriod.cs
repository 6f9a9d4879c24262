namespace MetricsPipeline.Decisions.Cost;

/// <summary>The length of a budget period (calendar-aligned, UTC).</summary>
public enum BudgetPeriod
{
    /// <summary>A calendar month.</summary>
    Monthly,

    /// <summary>A calendar quarter.</summary>
    Quarterly,

    /// <summary>A calendar year.</summary>
    Annual,
}
