using System.Globalization;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Cost;

/// <summary>
/// Watches budgets: alerts once per period when actual spend crosses 50, 75, 90 and 100 % of a budget, and when the
/// forecast end-of-period spend (actual + <see cref="CostProjector"/> over the rest of the period, or, with under a week
/// of history, actual + the run rate over the rest of the period) crosses them. The run rate is the spend divided by the
/// days observed: from the period's first day of known spend to today, so data that begins mid-period (a pipeline
/// started on the 20th) projects at the rate it shows, not as if the days before it had cost nothing. A forecast alert
/// needs a basis: the forecast must rest on at least <see cref="ForecastMinDays"/> days and on at least
/// <see cref="ForecastMinPeriodShare"/> of the period's days (the observed days for the run rate, the fitted days for the
/// projection), so one expensive first day does not fire every forecast threshold at once. A
/// <see cref="DailyCost.Partial"/> day (the stream started during it) counts in spend to date but not in the run rate,
/// the projection or the forecast's basis: its spend is added to the forecast as it is, and the observed span starts
/// on the first whole day. Before, the stream left such a day out altogether, so its spend was missing from spend to
/// date and from the forecast. Deterministic; not thread-safe.
/// </summary>
public sealed class BudgetMonitor
{
    /// <summary>The default <see cref="ForecastMinDays"/>: a week, one weekly cycle of spend.</summary>
    public const int DefaultForecastMinDays = 7;

    /// <summary>The default <see cref="ForecastMinPeriodShare"/>: a tenth of the period (about 3 days of a month, 9 of a quarter, 37 of a year).</summary>
    public const double DefaultForecastMinPeriodShare = 0.1;

    private readonly IReadOnlyList<Budget> _budgets;
    private readonly IReadOnlyList<double> _thresholds;
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    /// <summary>Creates a monitor.</summary>
    /// <param name="budgets">The budgets.</param>
    /// <param name="thresholdsPercent">Thresholds in percent. The default is 50, 75, 90, 100.</param>
    /// <param name="forecastMinDays">Fewest observed days a forecast alert rests on. The default is 7; 1 alerts from the first day.</param>
    /// <param name="forecastMinPeriodShare">Least share of the period's days a forecast alert rests on, 0 to 1. The default is 0.1; 0 turns it off.</param>
    /// <exception cref="ArgumentException">A budget amount is not positive, or a forecast basis setting is out of range.</exception>
    public BudgetMonitor(IEnumerable<Budget> budgets, IEnumerable<double>? thresholdsPercent = null, int forecastMinDays = DefaultForecastMinDays, double forecastMinPeriodShare = DefaultForecastMinPeriodShare)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        _budgets = budgets.ToArray();
        _thresholds = (thresholdsPercent ?? [50, 75, 90, 100]).Order().ToArray();
        foreach (double threshold in _thresholds)
        {
            if (!(threshold > 0) || double.IsInfinity(threshold))
            {
                // NaN never alerted (percent >= NaN is false) and zero or less alerted on the first cent, silently.
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Alert thresholds must be finite positive percentages (got {threshold})."), nameof(thresholdsPercent));
            }
        }

        if (_budgets.Any(b => !(b.Amount > 0)))
        {
            throw new ArgumentException("Budget amounts must be positive.", nameof(budgets));
        }

        if (forecastMinDays < 1)
        {
            throw new ArgumentException($"The forecast's minimum days of spend must be at least 1 (got {forecastMinDays}).", nameof(forecastMinDays));
        }

        if (!(forecastMinPeriodShare is >= 0 and <= 1))
        {
            throw new ArgumentException($"The forecast's minimum share of the period must be between 0 and 1 (got {forecastMinPeriodShare}).", nameof(forecastMinPeriodShare));
        }

        ForecastMinDays = forecastMinDays;
        ForecastMinPeriodShare = forecastMinPeriodShare;
    }

    /// <summary>Fewest observed days (of the run rate) or fitted days (of the projection) a forecast alert rests on. The default is 7.</summary>
    public int ForecastMinDays { get; }

    /// <summary>Least share of the period's days (0–1) a forecast alert rests on. The default is 0.1.</summary>
    public double ForecastMinPeriodShare { get; }

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
            var (forecast, confidence, basisDays) = Forecast(daily, today, end, actual, start);
            Check(alerts, budget, CostAlertType.BudgetActual, actual, null, start, end, today);
            int periodDays = end.DayNumber - start.DayNumber + 1;
            if (basisDays >= ForecastMinDays && basisDays >= ForecastMinPeriodShare * periodDays)
            {
                Check(alerts, budget, CostAlertType.BudgetForecast, forecast, confidence, start, end, today);
            }
        }

        return alerts;
    }

    /// <summary>The forecast end-of-period spend, its confidence and the days it rests on (observed or fitted).</summary>
    private static (double Forecast, double Confidence, int BasisDays) Forecast(IReadOnlyList<DailyCost> daily, DateOnly today, DateOnly end, double actual, DateOnly start)
    {
        if (today >= end)
        {
            // The period is over: the "forecast" is what was spent, on every day of it.
            return (actual, 1, int.MaxValue);
        }

        // One total per day: the projector fits one value per day, and several entries of a day (parts of the scope's
        // spend) would otherwise each be projected as a whole day, halving the forecast for two. A partial day is kept
        // out (a day with a partial entry is partial): it is no sample of a day's cost.
        var history = daily.Where(d => d.Day <= today && d.Day > today.AddDays(-90) && double.IsFinite(d.Cost))
            .GroupBy(d => d.Day)
            .Where(g => !g.Any(d => d.Partial))
            .Select(g => new DailyCost(g.Key, g.Sum(d => d.Cost)))
            .ToArray();
        if (history.Count(d => d.Cost > 0) >= 7)
        {
            var projection = CostProjector.Project(history, today.AddDays(1), end);
            return (actual + projection.Cost, projection.Confidence, history.Length);
        }

        // Too little history for a fit: the run rate over the span actually observed, from the period's first whole day
        // of known spend to today. Dividing by the period's days so far instead would read the days before the data
        // began (a pipeline started on the 20th) as days that cost nothing, and project far too little.
        var observed = history.Where(d => d.Day >= start).Select(d => d.Day).DefaultIfEmpty(today.AddDays(1)).Min();
        int observedDays = today.DayNumber - observed.DayNumber + 1;
        if (observedDays <= 0)
        {
            return (actual, 0, 0);
        }

        // Spread over the observed span's part of the period (the whole period when data starts on its first day); the
        // spend of the partial days before that span is added as it is.
        double partial = daily.Where(d => d.Day >= start && d.Day < observed && double.IsFinite(d.Cost)).Sum(d => d.Cost);
        return (partial > 0
            ? partial + ((actual - partial) * (end.DayNumber - observed.DayNumber + 1) / observedDays)
            : actual * (end.DayNumber - observed.DayNumber + 1) / observedDays, 0, observedDays);
    }

    private void Check(List<CostAlert> alerts, Budget budget, CostAlertType type, double amount, double? confidence, DateOnly start, DateOnly end, DateOnly today)
    {
        // Rounded so that a spend of exactly a threshold counts as reaching it: ten days of 0.10 sum to
        // 0.9999999999999999, which against 2.00 is 49.99999999999999 %.
        double percent = Math.Round(100 * amount / budget.Amount, 9);
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
