using System.Globalization;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Cost;

/// <summary>
/// Watches budgets: alerts once per period when actual spend crosses 50, 75, 90 and 100 % of a budget, and when the
/// forecast end-of-period spend (actual + <see cref="CostProjector"/> over the rest of the period, or the run rate with
/// under a week of history) crosses them. Deterministic; not thread-safe.
/// </summary>
public sealed class BudgetMonitor
{
    private readonly IReadOnlyList<Budget> _budgets;
    private readonly IReadOnlyList<double> _thresholds;
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    /// <summary>Creates a monitor.</summary>
    /// <param name="budgets">The budgets.</param>
    /// <param name="thresholdsPercent">Thresholds in percent. The default is 50, 75, 90, 100.</param>
    public BudgetMonitor(IEnumerable<Budget> budgets, IEnumerable<double>? thresholdsPercent = null)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        _budgets = budgets.ToArray();
        _thresholds = (thresholdsPercent ?? [50, 75, 90, 100]).Order().ToArray();
        if (_budgets.Any(b => !(b.Amount > 0)))
        {
            throw new ArgumentException("Budget amounts must be positive.", nameof(budgets));
        }
    }

    /// <summary>
    /// Evaluates the budgets of <paramref name="scope"/> at the end of <paramref name="today"/> given its daily costs (any
    /// order, up to today). Days whose cost is not a finite number count as unknown and add nothing.
    /// </summary>
    public IReadOnlyList<CostAlert> Evaluate(string scope, DateOnly today, IReadOnlyList<DailyCost> daily)
    {
        ArgumentNullException.ThrowIfNull(daily);
        var alerts = new List<CostAlert>();
        foreach (var budget in _budgets.Where(b => b.Scope == scope))
        {
            var (start, end) = PeriodCalendar.Bounds(budget.Period, today);
            // A day of unknown (non-finite) cost adds nothing: NaN would otherwise make every threshold look crossed.
            double actual = daily.Where(d => d.Day >= start && d.Day <= today && double.IsFinite(d.Cost)).Sum(d => d.Cost);
            var (forecast, confidence) = Forecast(daily, today, end, actual, start);
            Check(alerts, budget, CostAlertType.BudgetActual, actual, null, start, end, today);
            Check(alerts, budget, CostAlertType.BudgetForecast, forecast, confidence, start, end, today);
        }

        return alerts;
    }

    private static (double Forecast, double Confidence) Forecast(IReadOnlyList<DailyCost> daily, DateOnly today, DateOnly end, double actual, DateOnly start)
    {
        if (today >= end)
        {
            return (actual, 1);
        }

        // One total per day: the projector fits one value per day, and several entries of a day (parts of the scope's
        // spend) would otherwise each be projected as a whole day, halving the forecast for two.
        var history = daily.Where(d => d.Day <= today && d.Day > today.AddDays(-90) && double.IsFinite(d.Cost))
            .GroupBy(d => d.Day)
            .Select(g => new DailyCost(g.Key, g.Sum(d => d.Cost)))
            .ToArray();
        if (history.Count(d => d.Cost > 0) >= 7)
        {
            var projection = CostProjector.Project(history, today.AddDays(1), end);
            return (actual + projection.Cost, projection.Confidence);
        }

        // Too little history for a fit: the run rate of the period so far.
        int elapsed = today.DayNumber - start.DayNumber + 1;
        return (actual * (end.DayNumber - start.DayNumber + 1) / elapsed, 0);
    }

    private void Check(List<CostAlert> alerts, Budget budget, CostAlertType type, double amount, double? confidence, DateOnly start, DateOnly end, DateOnly today)
    {
        double percent = 100 * amount / budget.Amount;
        foreach (double threshold in _thresholds)
        {
            string key = DeterministicId.Compute(type.ToString(), budget.Scope, budget.Name, start.ToString("O", CultureInfo.InvariantCulture), threshold.ToString("R", CultureInfo.InvariantCulture));
            if (!(percent >= threshold) || !_sent.Add(key))
            {
                continue;
            }

            string what = type == CostAlertType.BudgetActual ? "spend to date" : "forecast period spend";
            alerts.Add(new CostAlert
            {
                Id = key,
                Type = type,
                Severity = threshold >= 100 ? AlertSeverity.Emergency : threshold >= 90 ? AlertSeverity.Critical : AlertSeverity.Warning,
                Scope = budget.Scope,
                Budget = budget.Name,
                Period = budget.Period,
                PeriodStart = start,
                PeriodEnd = end,
                ThresholdPercent = threshold,
                Amount = Math.Round(amount, 2),
                Reference = budget.Amount,
                Confidence = confidence is { } c ? Math.Round(c, 4) : null,
                Summary = string.Create(CultureInfo.InvariantCulture, $"{budget.Name}: {what} {amount:0.00} is {percent:0.#}% of {budget.Amount:0.00} (≥ {threshold}%)"),
                Day = today,
            });
        }
    }
}
