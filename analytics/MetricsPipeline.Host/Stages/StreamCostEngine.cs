using System.Text.Json;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The cost engine on the stream: every evaluated window adds instances × price × window length to its service's and
/// to the <c>total</c> day, and writes the period's spend against its budget; when a day ends it writes the day's cost
/// and the projections for the next month, quarter and year (<see cref="CostProjector"/>), and raises cost alerts
/// (<see cref="BudgetMonitor"/> at 50/75/90/100 % of actual and forecast spend, <see cref="CostAnomalyDetector"/>,
/// <see cref="UtilizationRecommender"/>, a recommendation again only when its saving changes materially or after the
/// re-notify interval). The first day of a scope is partial when the stream started during it (after the day's first
/// window): its spend counts in the budgets' spend to date and in the month's forecast spend, but it is no baseline
/// (<see cref="DailyCost.Partial"/>: not in the anomaly average or test, the run rate, the projections' fits or the
/// automatic budget). A window of a day already closed corrects that day's total and writes its daily point again (same
/// timestamp, so InfluxDB keeps the corrected value) and runs the day's anomaly test again on the corrected total (an
/// alert the correction raises is sent, one the day already had is not sent again); a day before the scope's first is
/// partial too. When the corrected day's budget period has already ended, its spend-to-date crossings are checked again
/// (as of the period's last day). Event time only; not thread-safe (the pipeline thread).
/// </summary>
internal sealed partial class StreamCostEngine
{
    /// <summary>The scope of the whole fleet's spend.</summary>
    public const string Total = "total";

    private const string InstanceType = "default";
    private static readonly BudgetPeriod[] Horizons = [BudgetPeriod.Monthly, BudgetPeriod.Quarterly, BudgetPeriod.Annual];

    private readonly StreamCostOptions _options;
    private readonly double _price;
    private readonly TimeSpan _window;
    private readonly CostAnomalyDetector _anomalies;
    private readonly UtilizationRecommender _recommender;
    private readonly Dictionary<string, ScopeState> _scopes = new(StringComparer.Ordinal);
    // The ids of the budget and anomaly alerts sent, per scope, so that a scope's alert lifecycle is checkpointed, moved
    // and dropped with the scope: one alert per budget crossing, and one per anomalous day even when a late window
    // corrects the day and its anomaly test runs again.
    private readonly Dictionary<string, HashSet<string>> _sentAlerts = new(StringComparer.Ordinal);

    /// <summary>Creates the engine.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="pricePerInstanceHour">The price of one instance-hour.</param>
    /// <param name="window">The evaluation window: the time each snapshot's instance count is billed for.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public StreamCostEngine(StreamCostOptions options, double pricePerInstanceHour, TimeSpan window)
    {
        options.Validate();
        _options = options;
        _price = pricePerInstanceHour;
        _window = window;
        _anomalies = new CostAnomalyDetector(options.CostAnomalyRatio, options.UsageSpikeRatio);
        _recommender = new UtilizationRecommender(new PriceTable(new Dictionary<string, double> { [InstanceType] = pricePerInstanceHour }), options.RecommendBelowPercent);
    }

    /// <summary>Bills one service's window; adds <c>cost</c> points and the cost alerts it raised.</summary>
    public void Observe(ServiceSnapshot snapshot, List<MetricPoint> points, List<CostAlert> alerts)
    {
        double cost = snapshot.Instances * _price * _window.TotalHours;
        double usage = double.IsFinite(snapshot.RequestRate) ? snapshot.RequestRate * _window.TotalSeconds : 0;
        Add(snapshot.Service, snapshot, cost, usage, points, alerts, isService: true);
        Add(Total, snapshot, cost, usage, points, alerts, isService: false);
    }

    private void Add(string scope, ServiceSnapshot snapshot, double cost, double usage, List<MetricPoint> points, List<CostAlert> alerts, bool isService)
    {
        var start = snapshot.Timestamp - _window;
        var day = DateOnly.FromDateTime(start.UtcDateTime);
        if (!_scopes.TryGetValue(scope, out var state))
        {
            state = new ScopeState { Day = day, FirstDay = day, FirstDayPartial = start.UtcDateTime.TimeOfDay >= _window };
            _scopes.Add(scope, state);
        }
        else if (day > state.Day)
        {
            CloseDay(scope, state, points, alerts, isService);
            state.Day = day;
            state.CpuSum = 0;
            state.CpuCount = 0;
            state.InstanceSum = 0;
            state.CpuInstanceSum = 0;
        }

        state.Days.TryGetValue(day, out var today);
        state.Days[day] = (today.Cost + cost, today.Usage + usage);
        if (day < state.Day)
        {
            // A window of a day already closed (a lagging instance, a backfill): its spend was spent, so the day's total
            // is corrected and its daily point written again at the same timestamp, which InfluxDB overwrites. Later days'
            // spend to date, budgets, baselines and fits read the corrected day; the closed day's alerts stand, and its
            // anomaly test runs again on the corrected total.
            points.Add(CostPoints.ToPoint(scope, new DailyCost(day, state.Days[day].Cost, state.Days[day].Usage)));
            ReviseAnomalies(scope, state, day, today, alerts);
            ReviseEndedBudgets(scope, state, day, alerts);
        }
        else if (isService && double.IsFinite(snapshot.CpuPercent))
        {
            // Only the current day's windows: a late window's CPU and instance count are not today's.
            state.CpuSum += snapshot.CpuPercent;
            state.CpuCount++;
            state.Instances = snapshot.Instances;
            state.InstanceSum += snapshot.Instances;
            state.CpuInstanceSum += snapshot.CpuPercent * snapshot.Instances;
        }

        points.Add(SpendPoint(scope, state, day, snapshot.Timestamp));
    }

    private MetricPoint SpendPoint(string scope, ScopeState state, DateOnly day, DateTimeOffset at)
    {
        var (periodStart, _) = PeriodCalendar.Bounds(BudgetPeriod.Monthly, day);
        double spend = state.Days.Where(d => d.Key >= periodStart && d.Key <= day).Sum(d => d.Value.Cost);
        var fields = new List<KeyValuePair<string, FieldValue>> { new("spend", FieldValue.FromDouble(spend)) };
        if (BudgetOf(scope, state) is { } budget)
        {
            fields.Add(new("budget", FieldValue.FromDouble(budget.Amount)));
            fields.Add(new("budget_percent", FieldValue.FromDouble(100 * spend / budget.Amount)));
        }

        if (state.ForecastSpend is { } forecast && forecast.PeriodStart == periodStart)
        {
            fields.Add(new("forecast_spend", FieldValue.FromDouble(forecast.Amount)));
        }

        return new MetricPoint(CostPoints.Measurement, [new("period", "monthly"), new("scope", scope)], fields, Ns(at));
    }

    private void CloseDay(string scope, ScopeState state, List<MetricPoint> points, List<CostAlert> alerts, bool isService)
    {
        var day = state.Day;
        var (cost, usage) = state.Days[day];
        points.Add(CostPoints.ToPoint(scope, new DailyCost(day, cost, usage)));
        var history = History(state, day);
        if (!history.Any(d => !d.Partial))
        {
            return;
        }

        foreach (var anomaly in _anomalies.Evaluate(scope, day, history))
        {
            SentAlerts(scope).Add(anomaly.Id);
            alerts.Add(anomaly);
        }
        var budgets = _options.Budgets.Where(b => b.Scope == scope).ToList();
        if (budgets.Count == 0 && AutoBudget(state) is { } automatic)
        {
            budgets.Add(automatic with { Scope = scope });
        }

        if (budgets.Count > 0)
        {
            var sent = SentAlerts(scope);
            foreach (var alert in new BudgetMonitor(budgets, null, _options.ForecastMinDays, _options.ForecastMinPeriodShare).Evaluate(scope, day, history))
            {
                // A fresh monitor per day (automatic budgets move); the ids (type, scope, budget, period, threshold) keep one alert per crossing.
                if (sent.Add(alert.Id))
                {
                    alerts.Add(alert);
                }
            }
        }

        if (isService && state.CpuCount > 0 && state.InstanceSum > 0)
        {
            // The fleet the day paid for: its mean count and the CPU weighted by the instances it ran on. Before, the day's
            // mean CPU went with the last window's count: a service scaled in for the evening was judged on its evening
            // count all day.
            int meanInstances = (int)Math.Round(state.InstanceSum / state.CpuCount, MidpointRounding.AwayFromZero);
            double cpu = state.CpuInstanceSum / state.InstanceSum;
            foreach (var recommendation in _recommender.Recommend([new ResourceUsage(scope, InstanceType, meanInstances, cpu)], day))
            {
                if (IsNews(state, recommendation))
                {
                    state.LastRecommendation = (day, recommendation.Amount);
                    alerts.Add(recommendation);
                }
            }
        }

        if (history.Count(d => d.Cost > 0 && !d.Partial) < 2)
        {
            return;
        }

        long at = Ns(new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        foreach (var period in Horizons)
        {
            var projection = CostProjector.ProjectNext(history, period, day);
            points.Add(new MetricPoint(CostPoints.Measurement, [new("horizon", JsonNamingPolicy.SnakeCaseLower.ConvertName(period.ToString())), new("scope", scope)],
            [
                new("projected_cost", FieldValue.FromDouble(projection.Cost)),
                new("projected_lower", FieldValue.FromDouble(projection.Lower)),
                new("projected_upper", FieldValue.FromDouble(projection.Upper)),
                new("confidence", FieldValue.FromDouble(projection.Confidence)),
                new("daily_growth_rate", FieldValue.FromDouble(projection.DailyGrowthRate)),
            ], at));
        }

        var (monthStart, monthEnd) = PeriodCalendar.Bounds(BudgetPeriod.Monthly, day);
        double actual = history.Where(d => d.Day >= monthStart).Sum(d => d.Cost);
        double rest = day < monthEnd ? CostProjector.Project(history, day.AddDays(1), monthEnd).Cost : 0;
        state.ForecastSpend = (monthStart, actual + rest);
    }

    /// <summary>
    /// The scope's days up to <paramref name="through"/>. The partial ones are in, marked: their spend was spent (before,
    /// the partial first day was left out, and spend to date and the forecast spend lacked it), but the detectors and
    /// fits keep them out of their baselines.
    /// </summary>
    private static List<DailyCost> History(ScopeState state, DateOnly through) =>
        [.. state.Days.Where(d => d.Key <= through).Select(d => new DailyCost(d.Key, d.Value.Cost, d.Value.Usage) { Partial = state.IsPartial(d.Key) })];

    private HashSet<string> SentAlerts(string scope)
    {
        if (!_sentAlerts.TryGetValue(scope, out var sent))
        {
            _sentAlerts[scope] = sent = new HashSet<string>(StringComparer.Ordinal);
        }

        return sent;
    }

    /// <summary>
    /// Runs the anomaly test of the closed <paramref name="day"/> again after a late window corrected its total from
    /// <paramref name="previous"/>, and sends what the correction raised: an alert the day did not have with its previous
    /// total (against the same 7 days) and that was not sent for it before. A correction only adds spend and usage, so a
    /// day that was anomalous stays so, and its alert is not sent again. Before, the corrected total was never tested: a
    /// day that the late spend took over 150 % of its average raised nothing. The later days' verdicts, whose average the
    /// correction raised, are not revisited: a higher average can only make them less anomalous, and what they sent stands.
    /// </summary>
    private void ReviseAnomalies(string scope, ScopeState state, DateOnly day, (double Cost, double Usage) previous, List<CostAlert> alerts)
    {
        var history = History(state, day);
        var before = history.Select(d => d.Day == day ? d with { Cost = previous.Cost, Usage = previous.Usage } : d).ToList();
        var had = _anomalies.Evaluate(scope, day, before).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var anomaly in _anomalies.Evaluate(scope, day, history))
        {
            if (!had.Contains(anomaly.Id) && SentAlerts(scope).Add(anomaly.Id))
            {
                alerts.Add(anomaly);
            }
        }
    }

    /// <summary>
    /// Checks the configured budgets whose period containing the corrected <paramref name="day"/> has already ended (a late
    /// window of 31 March after April began) against the corrected spend, as of the period's last day, and sends the
    /// spend-to-date crossings not sent before. A budget whose period is still open needs nothing here: the next day's
    /// close evaluates the corrected spend. Before, a late window that took an ended month over a threshold was never
    /// alerted. The forecast alerts are not revised (at a period's end the forecast is the actual spend), nor is the
    /// automatic budget (it follows the current month's days).
    /// </summary>
    private void ReviseEndedBudgets(string scope, ScopeState state, DateOnly day, List<CostAlert> alerts)
    {
        foreach (var budget in _options.Budgets)
        {
            var (_, end) = PeriodCalendar.Bounds(budget.Period, day);
            if (budget.Scope != scope || end >= state.Day)
            {
                continue;
            }

            var monitor = new BudgetMonitor([budget], null, _options.ForecastMinDays, _options.ForecastMinPeriodShare);
            foreach (var alert in monitor.Evaluate(scope, end, History(state, end)))
            {
                if (alert.Type == CostAlertType.BudgetActual && SentAlerts(scope).Add(alert.Id))
                {
                    alerts.Add(alert);
                }
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="recommendation"/> is worth sending: the first for the scope, a saving that moved by more
    /// than <see cref="StreamCostOptions.RecommendationMinChange"/> of the last one sent, or the last one sent is
    /// <see cref="StreamCostOptions.RecommendationRenotifyInterval"/> old. The same advice every day would only be noise.
    /// </summary>
    private bool IsNews(ScopeState state, CostAlert recommendation)
    {
        if (state.LastRecommendation is not { } last)
        {
            return true;
        }

        int renotifyDays = Math.Max(1, (int)Math.Ceiling(_options.RecommendationRenotifyInterval.TotalDays));
        return recommendation.Day.DayNumber - last.Day.DayNumber >= renotifyDays
            || Math.Abs(recommendation.Amount - last.Saving) > _options.RecommendationMinChange * Math.Abs(last.Saving);
    }

    /// <summary>The monthly budget the spend points show: the configured one, else the automatic one when the scope has no budget at all.</summary>
    private Budget? BudgetOf(string scope, ScopeState state)
    {
        bool any = false;
        foreach (var configured in _options.Budgets)
        {
            if (configured.Scope == scope)
            {
                if (configured.Period == BudgetPeriod.Monthly)
                {
                    return configured;
                }

                any = true;
            }
        }

        return any ? null : AutoBudget(state) is { } automatic ? automatic with { Scope = scope } : null;
    }

    private Budget? AutoBudget(ScopeState state)
    {
        if (!_options.AutoBudget)
        {
            return null;
        }

        // The mean of the complete days before the current one; none yet means no automatic budget yet.
        var complete = state.Days
            .Where(d => d.Key < state.Day && d.Key >= state.Day.AddDays(-30) && !state.IsPartial(d.Key))
            .Select(d => d.Value.Cost)
            .ToList();
        if (complete.Count == 0 || !(complete.Average() > 0))
        {
            return null;
        }

        var (start, end) = PeriodCalendar.Bounds(BudgetPeriod.Monthly, state.Day);
        double amount = complete.Average() * (end.DayNumber - start.DayNumber + 1) * (1 + _options.AutoBudgetHeadroom);
        return new Budget("auto-monthly", BudgetPeriod.Monthly, Math.Round(amount, 2));
    }

    private static long Ns(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private sealed class ScopeState
    {
        public DateOnly Day { get; set; }

        public DateOnly FirstDay { get; init; }

        public bool FirstDayPartial { get; init; }

        /// <summary>
        /// Whether <paramref name="day"/> was observed only in part: the first day when the stream started during it, and
        /// any day before the first (only late windows of it were seen).
        /// </summary>
        public bool IsPartial(DateOnly day) => day < FirstDay || (FirstDayPartial && day == FirstDay);

        public SortedDictionary<DateOnly, (double Cost, double Usage)> Days { get; } = [];

        public double CpuSum { get; set; }

        public int CpuCount { get; set; }

        public int Instances { get; set; }

        /// <summary>The current day's instance counts summed over its windows with a CPU value.</summary>
        public double InstanceSum { get; set; }

        /// <summary>The current day's CPU × instance count summed over the same windows.</summary>
        public double CpuInstanceSum { get; set; }

        public (DateOnly PeriodStart, double Amount)? ForecastSpend { get; set; }

        /// <summary>The day and estimated monthly saving of the last recommendation sent for the scope.</summary>
        public (DateOnly Day, double Saving)? LastRecommendation { get; set; }
    }
}
