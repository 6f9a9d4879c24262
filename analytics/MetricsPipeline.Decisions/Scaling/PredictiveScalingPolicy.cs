using System.Globalization;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Predictive scaling: provisions ahead of load with capacity = forecast upper bound / target utilisation, where the
/// upper bound is calibrated on the policy's own recent forecast errors.
/// </summary>
/// <remarks>
/// <para>Two horizons matter. A scale-out ordered now serves only after the start-up delay, so it is sized for the
/// largest load of the <em>lead window</em> (from one evaluation after the start-up delay to the end of the lead time
/// <see cref="PredictiveScalingOptions.LeadTime"/>). A scale-in takes effect at once but cannot be undone before the
/// decrease cooldown plus a start-up delay have passed without flapping, so it is sized for the largest load of the
/// <em>hold window</em> (the next evaluation to cooldown + lead time).</para>
/// <para>Several point forecasts of each window's largest load compete per service: the forecaster's output (the
/// largest value at the window's start, middle and end), seasonal forecasts (a smoothed level plus the rise it made
/// one <see cref="PredictiveScalingOptions.SeasonalPeriod"/> ago over the same horizon) and persistence forecasts
/// (Holt's linear smoothing of the load, heavy to light, with and without the rising trend). Each remembers its forecasts and, once a window has
/// passed, records realised maximum ÷ forecast; its upper bound is the forecast times the
/// <see cref="PredictiveScalingOptions.ErrorQuantile"/> (<see cref="PredictiveScalingOptions.HoldErrorQuantile"/> for the
/// hold window) of those ratios over the calibration window (headroom from the
/// forecast error, learned from past data only). The policy uses the candidate whose calibrated lead bounds had the
/// least quantile (pinball) loss at that quantile (<see cref="PredictiveScalingOptions.SelectByQuantileLoss"/>): the
/// cheapest bound at the same coverage, but one that also pays for how far its misses went, so a daily step that
/// persistence misses for a few minutes every day goes to the seasonal candidate, a smooth series is followed closely
/// and white noise is averaged. Until enough ratios are in, the lightest persistence forecast with
/// <see cref="PredictiveScalingOptions.WarmupHeadroom"/> is used.</para>
/// <para>With an SLO set (<see cref="PredictiveScalingOptions.SloP95Ms"/>) the policy spends its error budget: while the
/// share of evaluations whose observed p95 exceeded the SLO over <see cref="PredictiveScalingOptions.ErrorBudgetWindow"/>
/// is at most <see cref="PredictiveScalingOptions.ErrorBudgetTarget"/> and the fleet's mean utilisation over it is below
/// <see cref="PredictiveScalingOptions.ErrorBudgetMaxUtilization"/>, both quantiles are lowered by
/// <see cref="PredictiveScalingOptions.ErrorBudgetMaxLoosening"/> (proportionally less up to
/// <see cref="PredictiveScalingOptions.ErrorBudgetLimit"/>, where the configured ones apply again).</para>
/// <para>Above the chosen candidate's recent mean forecast the bounds take a larger share of the error tail
/// (<see cref="PredictiveScalingOptions.TailLoadExponent"/>): headroom costs in proportion to the load it sits on, a
/// violation minute the same at any load.</para>
/// <para>Scale-in waits for the decrease cooldown after any action and takes the largest recommendation of the
/// stabilisation window; within the cooldown after a scale-in only a forecast past
/// <see cref="PredictiveScalingOptions.ReversalUtilization"/> scales out again. Commands carry the forecast and its
/// confidence. Not thread-safe (see <see cref="IScalingPolicy"/>).</para>
/// </remarks>
public sealed partial class PredictiveScalingPolicy : IScalingPolicy
{
    private readonly PredictiveScalingOptions _o;
    private readonly Func<string, ILoadForecaster> _forecasterFactory;
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Creates the policy.</summary>
    /// <param name="options">Settings (kept; do not change afterwards).</param>
    /// <param name="forecasterFactory">Creates the forecaster of a service, on its first snapshot.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PredictiveScalingPolicy(PredictiveScalingOptions options, Func<string, ILoadForecaster> forecasterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(forecasterFactory);
        options.Validate();
        _o = options;
        _forecasterFactory = forecasterFactory;
    }

    /// <summary>The settings in use.</summary>
    public PredictiveScalingOptions Options => _o;

    /// <inheritdoc />
    public ScalingCommand? Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_states.TryGetValue(snapshot.Service, out var st))
        {
            st = NewState(snapshot.Service);
            _states.Add(snapshot.Service, st);
        }

        var now = snapshot.Timestamp;
        double current = double.IsFinite(snapshot.RequestRate) && snapshot.RequestRate >= 0 ? snapshot.RequestRate : 0;
        st.Forecaster.Observe(now, snapshot.RequestRate);
        st.Loads.Enqueue((now, current));
        st.Peak.Add(now, current);
        Realize(st, now);
        SpendErrorBudget(st, snapshot, current);

        // Lead window: the loads a scale-out ordered now can serve. Hold window: the loads a scale-in made now must
        // carry until a scale-out after the cooldown could serve.
        var (leadFrom, leadTo, holdFrom, holdTo) = Windows();
        var leadForecast = Forecast(st, now, leadFrom, leadTo);
        var holdForecast = Forecast(st, now, holdFrom, holdTo);
        LoadPredictor? best = null;
        double bestScore = double.PositiveInfinity;
        foreach (var p in st.Predictors)
        {
            p.Observe(current);
            double lead = p.UsesForecaster ? leadForecast?.Value ?? p.Persist(0)
                : p.SeasonalPeriod > 0 ? p.Seasonal(Steps(leadFrom), Steps(leadTo)) : p.Persist(leadTo / _o.EvaluationInterval);
            double hold = p.UsesForecaster ? holdForecast?.Value ?? p.Persist(0)
                : p.SeasonalPeriod > 0 ? p.Seasonal(Steps(holdFrom), Steps(holdTo)) : p.Persist(holdTo / _o.EvaluationInterval);
            p.Record(lead, hold);
            if (p.LeadErrors.Count >= _o.MinCalibrationSamples && (!p.UsesForecaster || leadForecast is not null))
            {
                double score = _o.SelectByQuantileLoss ? p.LeadLoss : p.MeanLead * p.LeadErrors.Quantile(_o.ErrorQuantile);
                if (score < bestScore)
                {
                    (best, bestScore) = (p, score);
                }
            }
        }

        bool calibrated = best is not null;
        best ??= st.Predictors[^1];
        var (leadPoint, holdPoint) = (best.LastLead, best.LastHold);
        // Never below the current load: after a step change a smoothed candidate lags, and the load already here is
        // the one thing that is not a forecast.
        // The error budget lowers the quantiles the bounds are set at (and the candidates compete at the lowered one).
        double leadQuantile = Loosened(st, _o.ErrorQuantile);
        double holdQuantile = Loosened(st, _o.HoldErrorQuantile);
        double leadUpper;
        double holdUpper;
        double weight = calibrated ? TailWeight(best, leadPoint) : double.NaN;
        if (double.IsFinite(weight))
        {
            // More of the tail (1 − q) goes where load is high: headroom costs in proportion to the load it sits on,
            // while a violation minute counts the same at any load.
            leadQuantile = Math.Clamp(1 - ((1 - leadQuantile) * weight), 0.01, 1);
            holdQuantile = Math.Clamp(1 - ((1 - holdQuantile) * weight), 0.01, 1);
            leadUpper = Math.Max(current, leadPoint * Math.Max(1, best.LeadErrors.ExactQuantile(leadQuantile)));
            holdUpper = Math.Max(current, holdPoint * Math.Max(1, best.HoldErrors.ExactQuantile(holdQuantile)));
        }
        else
        {
            leadUpper = Math.Max(current, leadPoint * Headroom(best.LeadErrors, leadQuantile));
            holdUpper = Math.Max(current, holdPoint * Headroom(best.HoldErrors, holdQuantile));
        }

        var forecast = best.UsesForecaster ? leadForecast : null;

        int instances = snapshot.Instances;
        int scaleOutTo = Size(leadUpper, _o.TargetUtilization);
        int scaleInTo = Size(holdUpper, _o.TargetUtilization - _o.ScaleInHeadroom);
        st.Recommendations.Add(now, scaleInTo);
        // The scale-in the bounds recommend (cooldown aside) and the recent-peak floor; what the floor would add over
        // the recommendation is tracked every evaluation, whether it applies or not, so the gate does not feed on itself.
        int stabilized = (int)Math.Max(scaleInTo, st.Recommendations.Max());
        bool floorApplies = false;
        int floor = 0;
        if (_o.ScaleInFloorWindow > TimeSpan.Zero && double.IsFinite(st.Peak.Max))
        {
            floor = Size(st.Peak.Max, _o.TargetUtilization - _o.ScaleInHeadroom);
            double excess = st.FloorExcess.Add(Math.Max(0, floor - stabilized) / (double)Math.Max(1, stabilized));
            floorApplies = double.IsPositiveInfinity(_o.ScaleInFloorMaxExcess)
                || (st.FloorExcess.Count >= _o.MinCalibrationSamples && excess <= _o.ScaleInFloorMaxExcess);
        }

        int target = instances;
        double demand = leadUpper;
        if (scaleOutTo > instances && instances >= _o.MinInstances)
        {
            double utilization = leadUpper / (Math.Max(1, instances) * _o.CapacityPerInstance);
            bool reversal = st.LastScaleIn is { } lastIn && now < lastIn + _o.DecreaseCooldown;
            double threshold = Math.Max(_o.TargetUtilization * (1 + _o.ScaleOutTolerance), reversal ? _o.ReversalUtilization : 0);
            if (utilization > threshold || instances == 0)
            {
                target = scaleOutTo;
            }
        }
        else if (instances > _o.MaxInstances)
        {
            target = _o.MaxInstances;
        }
        else if (_o.Mode != PredictiveScalingMode.ScaleOutOnly
            && !(st.LastAction is { } last && now < last + _o.DecreaseCooldown))
        {
            // The largest recommendation of the stabilisation window wins, so one quiet minute does not scale in; the
            // recent-peak floor, when set, keeps the capacity a recovery to the recent peak needs.
            if (floorApplies)
            {
                stabilized = Math.Max(stabilized, floor);
            }

            if (stabilized < instances && stabilized <= instances * (1 - _o.ScaleInTolerance))
            {
                target = stabilized;
                demand = holdUpper;
            }
        }

        target = Math.Clamp(target, _o.MinInstances, _o.MaxInstances);
        // Scale-out-only never scales in, not even down to MaxInstances (before, a fleet above it was scaled in): the
        // reactive policy, which scaling in is left to, does that.
        if (_o.Mode == PredictiveScalingMode.ScaleOutOnly && target < instances)
        {
            return null;
        }

        if (target == instances || (_o.Mode == PredictiveScalingMode.ForecastOnly && target == st.LastAdvised))
        {
            return null;
        }

        bool advisory = _o.Mode == PredictiveScalingMode.ForecastOnly;
        if (advisory)
        {
            st.LastAdvised = target;
        }
        else
        {
            st.LastAction = now;
            st.LastScaleIn = target < instances ? now : st.LastScaleIn;
        }

        string rule = calibrated ? "forecast_upper_bound" : "current_load";
        string window = target > instances ? F($"+{leadFrom.TotalMinutes:0.#}…{leadTo.TotalMinutes:0.#} min") : F($"+{holdFrom.TotalMinutes:0.#}…{holdTo.TotalMinutes:0.#} min");
        double quantile = target > instances ? leadQuantile : holdQuantile;
        string bound = calibrated ? F($"{quantile:P0} quantile of recent forecast errors") : F($"warm-up headroom {_o.WarmupHeadroom:P0}");
        double value = target > instances ? leadPoint : holdPoint;
        string reason = F($"upper bound {demand:0.##} over {window} (forecast {value:0.##} by {best.Name}, {bound}), current {current:0.##}; capacity = {demand:0.##} / ({_o.CapacityPerInstance:0.##} × {_o.TargetUtilization:0.##})");
        string model = forecast?.Model ?? best.Name;
        var info = new ForecastInfo("request_rate", _o.LeadTime.TotalSeconds, Round(value), Round(Math.Min(value, forecast?.Lower ?? value)), Round(demand), calibrated ? quantile : 0, model);
        double confidence = value > 0 ? Math.Clamp(1 - ((demand - value) / value), 0, 1) : 0;
        return ScalingCommandFactory.Create(snapshot, target, ScalingTrigger.Predictive, rule, reason, _o.PricePerInstanceHour,
            target > instances ? TimeSpan.Zero : _o.DecreaseCooldown, 2 * _o.EvaluationInterval, confidence, info, advisory);
    }

    /// <summary>The forecaster's point forecast of the largest load in (now + from … now + to): its largest value at the window's start, middle and end; null while it warms up.</summary>
    private static LoadForecast? Forecast(State st, DateTimeOffset now, TimeSpan from, TimeSpan to)
    {
        LoadForecast? first = null;
        double best = double.NegativeInfinity;
        foreach (var lead in (ReadOnlySpan<TimeSpan>)[from, from + ((to - from) / 2), to])
        {
            if (st.Forecaster.Forecast(now, lead) is not { } f || !double.IsFinite(f.Value))
            {
                return null;
            }

            first ??= f;
            best = Math.Max(best, f.Value);
        }

        return first! with { Value = Math.Max(0, best) };
    }

    /// <summary>
    /// Feeds the error budget this evaluation's SLO outcome (the observed p95 of the minute that just ended, data the
    /// policy sees) and utilisation; a snapshot without a p95 leaves it unchanged.
    /// </summary>
    private void SpendErrorBudget(State st, ServiceSnapshot snapshot, double current)
    {
        if (!BudgetEnabled || !double.IsFinite(snapshot.LatencyP95Ms))
        {
            return;
        }

        double utilization = snapshot.Instances > 0 ? current / (snapshot.Instances * _o.CapacityPerInstance) : double.NaN;
        st.Budget.Observe(snapshot.LatencyP95Ms > _o.SloP95Ms, utilization, _o.ErrorBudgetTarget,
            _o.ErrorBudgetLimit, _o.ErrorBudgetMaxLoosening, _o.ErrorBudgetMaxUtilization, _o.MinCalibrationSamples);
    }

    private bool BudgetEnabled => _o.ErrorBudgetTarget > 0 && double.IsFinite(_o.SloP95Ms);

    // On a grid of 0.005 (rounded down), so the calibrators' cached quantiles stay valid while the rate drifts; never
    // below a small positive level (a quantile of 0 would be the smallest error ever seen).
    private double Loosened(State st, double quantile) =>
        BudgetEnabled ? Math.Max(0.01, quantile - (Math.Floor((st.Budget.Loosening / LooseningGrid) + 1e-9) * LooseningGrid)) : quantile;

    private const double LooseningGrid = 0.005;

    /// <summary>
    /// How far the error budget currently lowers the error quantiles of <paramref name="service"/> (0 for an unknown
    /// service or with the budget off), and the violation rate and mean utilisation of its trailing window (NaN before
    /// any observation). For reports and tests.
    /// </summary>
    public (double Loosening, double ViolationRate, double MeanUtilization) ErrorBudget(string service) =>
        _states.TryGetValue(service, out var st) ? (st.Budget.Loosening, st.Budget.ViolationRate, st.Budget.MeanUtilization) : (0, double.NaN, double.NaN);

    private (TimeSpan LeadFrom, TimeSpan LeadTo, TimeSpan HoldFrom, TimeSpan HoldTo) Windows()
    {
        var leadFrom = _o.StartupDelay + _o.EvaluationInterval;
        var leadTo = _o.LeadTime > leadFrom ? _o.LeadTime : leadFrom;
        return (leadFrom, leadTo, _o.EvaluationInterval, _o.DecreaseCooldown + _o.LeadTime);
    }

    /// <summary>Scores the point forecasts whose windows have passed, and trims the load history.</summary>
    private void Realize(State st, DateTimeOffset now)
    {
        var (leadFrom, leadTo, holdFrom, holdTo) = Windows();
        var longest = holdTo > leadTo ? holdTo : leadTo;
        while (st.Times.Count > 0 && st.Times.Peek() + longest <= now)
        {
            var at = st.Times.Dequeue();
            double leadMax = 0;
            double holdMax = 0;
            foreach (var (time, load) in st.Loads)
            {
                if (time >= at + leadFrom && time <= at + leadTo)
                {
                    leadMax = Math.Max(leadMax, load);
                }

                if (time >= at + holdFrom && time <= at + holdTo)
                {
                    holdMax = Math.Max(holdMax, load);
                }
            }

            foreach (var p in st.Predictors)
            {
                var (lead, hold) = p.Pending.Dequeue();
                // Scored with the bound the candidate would provision now (its current headroom), before this error joins it.
                // At the quantile the bounds are set at now: with the error budget spent, the candidate that is
                // cheapest at that coverage is not always the one that is at the configured one.
                double q = Loosened(st, _o.ErrorQuantile);
                p.AddLeadLoss(lead * Headroom(p.LeadErrors, q), leadMax, q, p.LeadErrors.Capacity);
                p.LeadErrors.Add(lead, leadMax);
                p.HoldErrors.Add(hold, holdMax);
            }
        }

        var oldest = st.Times.Count > 0 ? st.Times.Peek() : now;
        while (st.Loads.Count > 0 && st.Loads.Peek().Time < oldest)
        {
            st.Loads.Dequeue();
        }

        st.Times.Enqueue(now);
    }

    private int Steps(TimeSpan horizon) => (int)Math.Round(horizon / _o.EvaluationInterval);

    private double Headroom(ForecastErrorCalibrator errors, double quantile) =>
        errors.Count >= _o.MinCalibrationSamples ? Math.Max(1, errors.Quantile(quantile)) : 1 + _o.WarmupHeadroom;

    /// <summary>
    /// How much of the error quantiles' tail this evaluation takes: (lead forecast ÷ the candidate's mean lead forecast
    /// over the calibration window, clamped to [1, <see cref="PredictiveScalingOptions.TailLoadMaxRatio"/>]) to the power
    /// <see cref="PredictiveScalingOptions.TailLoadExponent"/>; NaN when that is off or the candidate lacks the errors.
    /// Never below 1: a quantile above the configured one at low load was tried and, where the low-load errors hold the
    /// spikes, set every calm minute's bound at a spike (art_increase_spike_density 2.79 → 3.63 × the oracle).
    /// </summary>
    private double TailWeight(LoadPredictor best, double leadPoint)
    {
        if (!(_o.TailLoadExponent > 0) || !(best.MeanLead > 0) || !double.IsFinite(leadPoint)
            || best.LeadErrors.Count < _o.MinCalibrationSamples || best.HoldErrors.Count < _o.MinCalibrationSamples)
        {
            return double.NaN;
        }

        double ratio = Math.Clamp(leadPoint / best.MeanLead, 1, _o.TailLoadMaxRatio);
        return Math.Pow(ratio, _o.TailLoadExponent);
    }

    private int Size(double demand, double utilization) =>
        Math.Clamp((int)Math.Ceiling((demand / (_o.CapacityPerInstance * utilization)) - 1e-9), _o.MinInstances, _o.MaxInstances);

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class State
    {
        // Candidate persistence forecasts (Holt smoothing factor, share of the trend): heavy smoothing for noise,
        // light smoothing with the trend for smooth ramps. The last one (the current load) is the warm-up forecast.
        private static readonly (double Smoothing, double Trend)[] Persistence =
            [(0.05, 0), (0.1, 0), (0.2, 0), (0.2, 1), (0.5, 0), (0.5, 1), (1, 1), (1, 0)];

        // Seasonal candidates (smoothing factor): the level plus the rise the smoothed level made one season ago over
        // the same horizon, so a daily ramp is provisioned before it starts rather than after.
        private static readonly double[] SeasonalSmoothing = [0.1, 0.5];

        public State(ILoadForecaster forecaster, TimeSpan window, int calibrationSamples, int seasonalPeriod, TimeSpan floorWindow, int budgetSamples, int lossWindow, int lossSegments)
        {
            Budget = new ErrorBudgetController(budgetSamples);
            Forecaster = forecaster;
            Peak = new SlidingMaximum(floorWindow);
            FloorExcess = new RunningMean(calibrationSamples);
            Recommendations = new TimedWindow(window);
            Predictors = [new LoadPredictor(1, 0, usesForecaster: true, calibrationSamples, lossWindow: lossWindow, lossSegments: lossSegments),
                .. (seasonalPeriod > 0 ? SeasonalSmoothing : []).Select(a => new LoadPredictor(a, 0, usesForecaster: false, calibrationSamples, seasonalPeriod, lossWindow, lossSegments)),
                .. Persistence.Select(c => new LoadPredictor(c.Smoothing, c.Trend, usesForecaster: false, calibrationSamples, lossWindow: lossWindow, lossSegments: lossSegments))];
        }

        public ILoadForecaster Forecaster { get; }

        public TimedWindow Recommendations { get; }

        public List<LoadPredictor> Predictors { get; }

        public Queue<(DateTimeOffset Time, double Load)> Loads { get; } = new();

        public Queue<DateTimeOffset> Times { get; } = new();

        /// <summary>The largest load of the scale-in floor's window.</summary>
        public SlidingMaximum Peak { get; }

        /// <summary>What the floor adds over the bounds' scale-in recommendation, relative to it, over the calibration window.</summary>
        public RunningMean FloorExcess { get; }

        /// <summary>The error budget: the violation rate and utilisation of its window, and the loosening they set.</summary>
        public ErrorBudgetController Budget { get; }

        public DateTimeOffset? LastAction { get; set; }

        public int LastAdvised { get; set; } = -1;

        public DateTimeOffset? LastScaleIn { get; set; }
    }
}
