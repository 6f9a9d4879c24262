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

    /// <summary>Headroom of the automatic budget over the recent run rate, zero or more. The default is 0.2 (20 %).</summary>
    public double AutoBudgetHeadroom { get; set; } = 0.2;

    /// <summary>A day whose cost exceeds this multiple of its previous 7-day average is a cost anomaly; above 1. The default is 1.5.</summary>
    public double CostAnomalyRatio { get; set; } = 1.5;

    /// <summary>A day whose usage (requests) exceeds this multiple of its 7-day average is a usage spike; above 1. The default is 2.</summary>
    public double UsageSpikeRatio { get; set; } = 2.0;

    /// <summary>A service whose mean CPU over a day is below this gets a right-sizing recommendation; 0 to 100. The default is 30 (%).</summary>
    public double RecommendBelowPercent { get; set; } = 30;

    /// <summary>
    /// A service's recommendation is sent again only when its estimated monthly saving differs from the last one sent by
    /// more than this share of it (a different fleet or recommended count, say), or after <see cref="RecommendationRenotifyInterval"/>;
    /// otherwise the same advice would go out at every day's close. The default is 0.2 (20 %).
    /// </summary>
    public double RecommendationMinChange { get; set; } = 0.2;

    /// <summary>An unchanged recommendation is sent again after this long (whole days, event time). The default is 7 days.</summary>
    public TimeSpan RecommendationRenotifyInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Fewest days of known spend a forecast budget alert rests on (<see cref="BudgetMonitor.ForecastMinDays"/>): before,
    /// the run rate of a period's first day fired every forecast threshold at once. Actual-spend alerts are not held
    /// back. The default is 7.
    /// </summary>
    public int ForecastMinDays { get; set; } = BudgetMonitor.DefaultForecastMinDays;

    /// <summary>
    /// Least share of the budget period's days a forecast budget alert rests on (<see cref="BudgetMonitor.ForecastMinPeriodShare"/>;
    /// 37 days for an annual budget). The default is 0.1; 0 turns it off.
    /// </summary>
    public double ForecastMinPeriodShare { get; set; } = BudgetMonitor.DefaultForecastMinPeriodShare;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, named by its <c>Analytics:Cost</c> key.</exception>
    public void Validate()
    {
        if (ForecastMinDays < 1)
        {
            throw new ArgumentException($"Analytics:Cost:ForecastMinDays must be at least 1 (got {ForecastMinDays}).");
        }

        if (!(ForecastMinPeriodShare is >= 0 and <= 1))
        {
            throw new ArgumentException($"Analytics:Cost:ForecastMinPeriodShare must be between 0 and 1 (got {ForecastMinPeriodShare}).");
        }

        if (!(RecommendationMinChange >= 0) || double.IsInfinity(RecommendationMinChange))
        {
            throw new ArgumentException($"Analytics:Cost:RecommendationMinChange must be zero or positive (got {RecommendationMinChange}).");
        }

        if (RecommendationRenotifyInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Analytics:Cost:RecommendationRenotifyInterval must be positive (got {RecommendationRenotifyInterval}).");
        }

        // Checked at start-up: a bad budget threw only when the first day closed (in BudgetMonitor), mid-stream, and a NaN
        // or sub-1 ratio made every day an anomaly, or none, silently.
        for (int i = 0; i < Budgets.Count; i++)
        {
            if (!(Budgets[i].Amount > 0) || double.IsInfinity(Budgets[i].Amount))
            {
                throw new ArgumentException($"Analytics:Cost:Budgets:{i} ('{Budgets[i].Name}'): Amount must be a finite positive number (got {Budgets[i].Amount}).");
            }
        }

        foreach (var (name, value) in new[] { (nameof(CostAnomalyRatio), CostAnomalyRatio), (nameof(UsageSpikeRatio), UsageSpikeRatio) })
        {
            if (!(value > 1) || double.IsInfinity(value))
            {
                throw new ArgumentException($"Analytics:Cost:{name} must be a finite number above 1 (got {value}).");
            }
        }

        if (!(AutoBudgetHeadroom >= 0) || double.IsInfinity(AutoBudgetHeadroom))
        {
            throw new ArgumentException($"Analytics:Cost:AutoBudgetHeadroom must be zero or positive (got {AutoBudgetHeadroom}).");
        }

        if (!(RecommendBelowPercent is >= 0 and <= 100))
        {
            throw new ArgumentException($"Analytics:Cost:RecommendBelowPercent must be between 0 and 100 (got {RecommendBelowPercent}).");
        }
    }
}
