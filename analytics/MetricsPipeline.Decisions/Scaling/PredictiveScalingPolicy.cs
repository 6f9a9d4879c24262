using System.Globalization;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Predictive scaling: provisions ahead of load for the lead time (start-up delay + buffer) with
/// capacity = max(forecast upper bound over the lead time, current load) / target utilisation. While the forecaster
/// warms up it sizes for the current load. Scale-in is stabilised (largest recommendation of the window) and held
/// by a cooldown. Commands carry the forecast and its confidence. Not thread-safe (see <see cref="IScalingPolicy"/>).
/// </summary>
public sealed class PredictiveScalingPolicy : IScalingPolicy
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
            st = new State(_forecasterFactory(snapshot.Service), _o.StabilizationWindow);
            _states.Add(snapshot.Service, st);
        }

        var now = snapshot.Timestamp;
        st.Forecaster.Observe(now, snapshot.RequestRate);
        var forecast = st.Forecaster.Forecast(now, _o.LeadTime);
        double current = double.IsFinite(snapshot.RequestRate) ? snapshot.RequestRate : 0;
        double demand = Math.Max(current, forecast is null || !double.IsFinite(forecast.Upper) ? 0 : forecast.Upper);
        int desired = Size(demand, _o.TargetUtilization);
        st.Demand.Add(now, demand);

        int instances = snapshot.Instances;
        int target = desired;
        if (desired < instances)
        {
            // Scale in only to what the window's largest demand needs at a slightly lower utilisation (hysteresis), so
            // the next noisy minute does not undo it.
            target = Size(st.Demand.Max(), _o.TargetUtilization - _o.ScaleInHeadroom);
            bool held = _o.Mode == PredictiveScalingMode.ScaleOutOnly
                || target > instances * (1 - _o.ScaleInTolerance)
                || (st.LastAction is { } last && now < last + _o.DecreaseCooldown);
            if (held && instances <= _o.MaxInstances)
            {
                return null;
            }
        }

        else if (desired > instances && instances >= _o.MinInstances)
        {
            double utilization = demand / (instances * _o.CapacityPerInstance);
            bool reversal = st.LastScaleIn is { } lastIn && now < lastIn + _o.DecreaseCooldown;
            double threshold = Math.Max(_o.TargetUtilization * (1 + _o.ScaleOutTolerance), reversal ? _o.ReversalUtilization : 0);
            if (utilization <= threshold)
            {
                return null;
            }
        }

        target = Math.Clamp(target, _o.MinInstances, _o.MaxInstances);
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

        string rule = forecast is null ? "current_load" : demand > current ? "forecast_upper_bound" : "current_load";
        string reason = forecast is null
            ? F($"forecaster warming up: size for the current load {current:0.##} at {_o.TargetUtilization:P0} utilisation of {_o.CapacityPerInstance:0.##} per instance")
            : F($"upper bound {forecast.Upper:0.##} (forecast {forecast.Value:0.##}, {forecast.ConfidenceLevel:P0}) at +{_o.LeadTime.TotalMinutes:0.#} min, current {current:0.##}; capacity = {demand:0.##} / ({_o.CapacityPerInstance:0.##} × {_o.TargetUtilization:0.##})");
        var info = forecast is null ? null : new ForecastInfo("request_rate", _o.LeadTime.TotalSeconds, Round(forecast.Value), Round(forecast.Lower), Round(forecast.Upper), forecast.ConfidenceLevel, forecast.Model);
        return ScalingCommandFactory.Create(snapshot, target, ScalingTrigger.Predictive, rule, reason, _o.PricePerInstanceHour,
            target > instances ? TimeSpan.Zero : _o.DecreaseCooldown, 2 * _o.EvaluationInterval, forecast?.Confidence ?? 1.0, info, advisory);
    }

    private int Size(double demand, double utilization) =>
        Math.Clamp((int)Math.Ceiling((demand / (_o.CapacityPerInstance * utilization)) - 1e-9), _o.MinInstances, _o.MaxInstances);

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class State(ILoadForecaster forecaster, TimeSpan window)
    {
        public ILoadForecaster Forecaster { get; } = forecaster;

        public TimedWindow Demand { get; } = new(window);

        public DateTimeOffset? LastAction { get; set; }

        public int LastAdvised { get; set; } = -1;

        public DateTimeOffset? LastScaleIn { get; set; }
    }
}
