using MetricsPipeline.Decisions.Cost;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Settings of the cost engine in the stream (section <c>Analytics:Cost</c>; <c>PricePerInstanceHour</c> there is the
/// scaling stage's price). Spend comes from the instance counts the fleet reports, per service and for <c>total</c>.
/// </summary>
public sealed class StreamCostOptions
{
    /// <summary>Whether spend, budgets, projections and cost alerts are computed. The default is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Configured budgets (name, period, amount, scope = a service or <c>total</c>). The default is none.</summary>
    public IList<Budget> Budgets { get; set; } = [];

    /// <summary>
    /// Whether a scope without a configured budget gets an automatic monthly budget: the mean daily cost of its last
    /// (up to) 30 complete days × the days of the month × (1 + <see cref="AutoBudgetHeadroom"/>), re-evaluated daily,
    /// like a cloud provider's auto-adjusting budget. The default is true.
    /// </summary>
    public bool AutoBudget { get; set; } = true;

    /// <summary>Headroom of the automatic budget over the recent run rate. The default is 0.2 (20 %).</summary>
    public double AutoBudgetHeadroom { get; set; } = 0.2;

    /// <summary>A day whose cost exceeds this multiple of its previous 7-day average is a cost anomaly. The default is 1.5.</summary>
    public double CostAnomalyRatio { get; set; } = 1.5;

    /// <summary>A day whose usage (requests) exceeds this multiple of its 7-day average is a usage spike. The default is 2.</summary>
    public double UsageSpikeRatio { get; set; } = 2.0;

    /// <summary>A service whose mean CPU over a day is below this gets a right-sizing recommendation. The default is 30 (%).</summary>
    public double RecommendBelowPercent { get; set; } = 30;
}
