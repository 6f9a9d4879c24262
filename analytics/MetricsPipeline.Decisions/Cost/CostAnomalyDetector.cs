using System.Globalization;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Cost;

/// <summary>
/// Flags a day whose cost exceeds <see cref="CostRatio"/> × its previous 7-day average (default 150 %) and a day whose
/// usage exceeds <see cref="UsageRatio"/> × its average (default 2×). The average needs each of the <see cref="Days"/>
/// days before: several entries of one day count as one day (their sum), and a <see cref="DailyCost.Partial"/> day is no
/// day of the average (it would drag it down) nor tested itself (its cost is a part of a day's). Before, the entries were
/// counted instead of the days, so two entries a day over the four days since a stream started passed for a week, and
/// the average (four days' spend over 7) made the fifth day an anomaly. Thread-safe (stateless).
/// </summary>
/// <param name="CostRatio">Cost anomaly ratio. The default is 1.5.</param>
/// <param name="UsageRatio">Usage spike ratio. The default is 2.</param>
/// <param name="Days">Days in the average. The default is 7.</param>
public sealed record CostAnomalyDetector(double CostRatio = 1.5, double UsageRatio = 2.0, int Days = 7)
{
    /// <summary>The alerts for <paramref name="day"/> given the scope's daily history (needs the previous <see cref="Days"/> days).</summary>
    public IReadOnlyList<CostAlert> Evaluate(string scope, DateOnly day, IReadOnlyList<DailyCost> daily)
    {
        ArgumentNullException.ThrowIfNull(daily);
        var alerts = new List<CostAlert>();
        var today = daily.Where(d => d.Day == day).ToArray();
        var window = daily.Where(d => d.Day < day && d.Day >= day.AddDays(-Days)).ToArray();
        if (today.Length == 0 || today.Any(d => d.Partial) || window.Any(d => d.Partial) || window.Select(d => d.Day).Distinct().Count() < Days)
        {
            return alerts;
        }

        double cost = today.Sum(d => d.Cost);
        double averageCost = window.Sum(d => d.Cost) / Days;
        if (averageCost > 0 && cost > CostRatio * averageCost)
        {
            alerts.Add(Alert(CostAlertType.CostAnomaly, scope, day, cost, averageCost, $"cost {cost:0.00} is {cost / averageCost:P0} of its {Days}-day average {averageCost:0.00}"));
        }

        double usage = today.Sum(d => d.Usage);
        double averageUsage = window.Sum(d => d.Usage) / Days;
        if (double.IsFinite(usage) && averageUsage > 0 && usage > UsageRatio * averageUsage)
        {
            alerts.Add(Alert(CostAlertType.UsageSpike, scope, day, usage, averageUsage, $"usage {usage:0.##} is {usage / averageUsage:0.0}× its {Days}-day average {averageUsage:0.##}"));
        }

        return alerts;
    }

    private static CostAlert Alert(CostAlertType type, string scope, DateOnly day, double amount, double average, FormattableString summary) => new()
    {
        Id = DeterministicId.Compute(type.ToString(), scope, day.ToString("O", CultureInfo.InvariantCulture)),
        Type = type,
        Severity = AlertSeverity.Warning,
        Scope = scope,
        PeriodStart = day,
        PeriodEnd = day,
        ThresholdPercent = Math.Round(100 * amount / average, 1),
        Amount = Math.Round(amount, 4),
        Reference = Math.Round(average, 4),
        Summary = summary.ToString(CultureInfo.InvariantCulture),
        Day = day,
    };
}
