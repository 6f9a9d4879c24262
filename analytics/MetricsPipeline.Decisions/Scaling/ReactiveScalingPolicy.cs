using System.Globalization;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// The reactive scaling policy: the playbook's threshold rules (or the HPA-like proportional rule), the proportional
/// target desired = ceil(current × metric / target) with a tolerance, ready-aware as Kubernetes' HPA is (instances still
/// starting count at 0 % usage on a scale-up and at the target on a scale-down, and a recommendation that counting them
/// reverses is dropped; see <see cref="ServiceSnapshot.ReadyInstances"/>), min/max instances, separate increase and
/// decrease cooldowns, a scale-down stabilisation window (the largest recommendation of the window wins), step
/// limits, and emergency scale-out on traffic spikes (bypassing the increase cooldown). Pure and deterministic: it only
/// uses the snapshots' timestamps. The CPU target can come from another policy while it sets one (a growth phase's,
/// <see cref="IScalingTargets"/>). Not thread-safe (see <see cref="IScalingPolicy"/>).
/// </summary>
public sealed partial class ReactiveScalingPolicy : IScalingPolicy
{
    private readonly ScalingPolicyOptions _o;
    private readonly IScalingTargets? _targets;
    private readonly Dictionary<string, ServiceScalingState> _states = new(StringComparer.Ordinal);

    /// <summary>Creates the policy.</summary>
    /// <param name="options">Settings; null means the playbook defaults. The policy keeps the instance: do not change it afterwards.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ReactiveScalingPolicy(ScalingPolicyOptions? options = null)
        : this(options, null)
    {
    }

    /// <summary>Creates the policy with targets set by another policy.</summary>
    /// <param name="options">Settings; null means the playbook defaults. The policy keeps the instance: do not change it afterwards.</param>
    /// <param name="targets">
    /// Where the CPU target of the proportional rule comes from while it sets one (a <see cref="GrowthPhasePolicy"/>:
    /// the active phase's target); null, or NaN for a service, means <see cref="ScalingPolicyOptions.TargetCpuPercent"/>.
    /// Put the policy that sets the targets before this one in a <see cref="CompositeScalingPolicy"/>, so that it has seen
    /// the snapshot first.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ReactiveScalingPolicy(ScalingPolicyOptions? options, IScalingTargets? targets)
    {
        _o = options ?? new ScalingPolicyOptions();
        _o.Validate();
        _targets = targets;
    }

    /// <summary>The settings in use.</summary>
    public ScalingPolicyOptions Options => _o;

    /// <inheritdoc />
    public ScalingCommand? Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var st = State(snapshot.Service);
        var now = snapshot.Timestamp;
        int current = snapshot.Instances;
        if (st.FirstSeen == DateTimeOffset.MinValue)
        {
            st.FirstSeen = now;
        }

        // The spike is judged against the baseline before this point joins it.
        st.Baseline.Trim(now);
        double baseline = st.Baseline.Mean;
        bool baselineReady = st.Baseline.Oldest is { } oldest && oldest <= now - _o.MinBaselineHistory;
        st.Baseline.Add(now, snapshot.RequestRate);
        Track(st, snapshot);

        if (current < _o.MinInstances)
        {
            return Issue(st, snapshot, _o.MinInstances, ScalingTrigger.Reactive, "min_instances", $"{current} instances is below the minimum {_o.MinInstances}");
        }

        if (current > _o.MaxInstances)
        {
            return Issue(st, snapshot, _o.MaxInstances, ScalingTrigger.Reactive, "max_instances", $"{current} instances is above the maximum {_o.MaxInstances}");
        }

        var emergency = Emergency(st, snapshot, baselineReady ? baseline : double.NaN);
        if (emergency is not null)
        {
            return emergency;
        }

        double target = TargetCpuPercent(snapshot.Service);
        var (desired, rule, reason) = _o.RuleSet == ScalingRuleSet.Playbook ? Playbook(st, snapshot, target) : Proportional(snapshot, target);
        st.Recommendations.Add(now, desired);
        int count = desired;
        if (desired < current)
        {
            // Scale-down stabilisation: the largest recommendation of the window wins, so one quiet minute cannot shrink the
            // fleet; it holds the count at most, never raises it (the window can remember a larger fleet that someone else
            // has scaled in since, and a scale-down recommendation must not become a scale-out).
            count = Math.Min(current, (int)st.Recommendations.Max());
        }

        count = Limit(current, count);
        if (count == current || rule is null)
        {
            return null;
        }

        if (count > current && st.LastIncrease is { } up && now < up + _o.IncreaseCooldown)
        {
            return null;
        }

        if (count < current && Latest(st.LastIncrease, st.LastDecrease) is { } last && now < last + _o.DecreaseCooldown)
        {
            return null;
        }

        return Issue(st, snapshot, count, ScalingTrigger.Reactive, rule, reason!);
    }

    private ScalingCommand? Emergency(ServiceScalingState st, ServiceSnapshot s, double baseline)
    {
        double ratio = baseline > 0 ? s.RequestRate / baseline : double.NaN;
        bool spike = (double.IsFinite(ratio) && ratio > _o.EmergencySpikeRatio) || s.RequestRateAnomaly;
        if (!spike)
        {
            // The trailing baseline rises with the spike, so mid-spike the rate can dip under the ratio of it and come back
            // over: that is the same spike while the rate stays over the ratio of the baseline at its start (for up to a
            // baseline window after its last step). Before, the dip ended it, and the next minute over the ratio sized a
            // "new" spike from the instances already added for this one: the simulated fleet went 15 → 45, then 57 → 171
            // at 79 % utilisation.
            bool ongoing = st.EmergencyFromInstances > 0 && st.EmergencyBaseline > 0
                && s.RequestRate / st.EmergencyBaseline > _o.EmergencySpikeRatio
                && st.LastEmergency is { } step && s.Timestamp < step + _o.BaselineWindow;
            if (!ongoing)
            {
                st.EmergencyFromInstances = 0;
            }

            return null;
        }

        // One spike is sized once, from the instances and the baseline at its start: the baseline is a trailing mean
        // that lags the spike, and sizing each step from the count the previous step set would compound (measured on
        // the simulated fleet's 4× spike: 15 → 45 → 135 instances; with no increase cooldown, 10 → 1000 in 5 minutes).
        if (st.EmergencyFromInstances == 0)
        {
            (st.EmergencyFromInstances, st.EmergencyBaseline) = (Math.Max(1, s.Instances), baseline);
        }

        if (st.LastEmergency is { } e && s.Timestamp < e + _o.IncreaseCooldown)
        {
            return null;
        }

        // Without a baseline (an anomaly alert alone) the step limit's doubling is the best guess of the magnitude.
        double spikeRatio = st.EmergencyBaseline > 0 ? s.RequestRate / st.EmergencyBaseline : double.NaN;
        double factor = Math.Min(double.IsFinite(spikeRatio) ? spikeRatio : 2.0, 1 + (_o.EmergencyMaxIncreasePercent / 100));
        int target = Math.Min(_o.MaxInstances, (int)Math.Ceiling(st.EmergencyFromInstances * factor));
        if (target <= s.Instances)
        {
            return null;
        }

        st.LastEmergency = s.Timestamp;
        string why = double.IsFinite(spikeRatio)
            ? F($"request rate {s.RequestRate:0.##}/s is {spikeRatio:0.##}× its baseline {st.EmergencyBaseline:0.##}/s at the spike's start; {st.EmergencyFromInstances} instances then, scaled by {factor:0.##} (capped at +{_o.EmergencyMaxIncreasePercent}%)")
            : F($"anomaly alert on the request rate; scale by {factor:0.##}");
        return Issue(st, s, target, ScalingTrigger.Emergency, "traffic_spike", why);
    }

    private (int Desired, string? Rule, string? Reason) Playbook(ServiceScalingState st, ServiceSnapshot s, double target)
    {
        var now = s.Timestamp;
        int current = s.Instances;
        int proportional = ProportionalTarget(s, s.CpuPercent / target, _o.Tolerance);
        // While instances start, a per-instance mean says nothing of them: a rule on one adds what the ready-aware
        // proportional count asks for, and no "+1" on top (with the starting ones at 0 % the fleet may already suffice).
        bool starting = Ready(s) < current;
        int desired = current;
        string? rule = null;
        string? reason = null;

        void Consider(int d, string r, string why)
        {
            if (d > desired)
            {
                (desired, rule, reason) = (d, r, why);
            }
        }

        int up = starting ? proportional : Math.Max(current + 1, proportional);
        if (s.CpuPercent > _o.CpuCriticalPercent)
        {
            Consider(up, "cpu_critical", F($"cpu {s.CpuPercent:0.#}% > {_o.CpuCriticalPercent}% (critical); {Formula(s, target, up)}"));
        }

        if (st.CpuAboveSince is { } since && since <= now - _o.CpuSustainDuration)
        {
            Consider(up, "cpu_sustained", F($"cpu {s.CpuPercent:0.#}% > {_o.CpuScaleUpPercent}% since {since:u}; {Formula(s, target, up)}"));
        }

        // The hourly mean lags: once the current CPU is back under target it would keep adding instances, so it needs both.
        double hourly = st.CpuHour.Mean;
        if (st.CpuHour.Oldest is { } first && first <= now - TimeSpan.FromHours(1) + _o.EvaluationInterval
            && hourly > _o.CpuHourlyMeanPercent && s.CpuPercent > target * (1 - _o.Tolerance))
        {
            Consider(AtLeastOneMore(s, ProportionalTarget(s, hourly / target, _o.Tolerance)), "cpu_hourly_mean", F($"1-hour mean cpu {hourly:0.#}% > {_o.CpuHourlyMeanPercent}%"));
        }

        if (s.MemoryPercent > _o.MemoryScaleUpPercent)
        {
            Consider(AtLeastOneMore(s, ProportionalTarget(s, s.MemoryPercent / _o.MemoryScaleUpPercent, 0)), "memory", F($"memory {s.MemoryPercent:0.#}% > {_o.MemoryScaleUpPercent}%"));
        }

        if (s.LatencyP95Ms > _o.LatencyP95Ms)
        {
            Consider(up, "latency_p95", F($"p95 latency {s.LatencyP95Ms:0} ms > {_o.LatencyP95Ms} ms"));
        }

        if (s.LatencyP99Ms > _o.LatencyP99Ms)
        {
            Consider(up, "latency_p99", F($"p99 latency {s.LatencyP99Ms:0} ms > {_o.LatencyP99Ms} ms"));
        }

        if (s.ErrorRatePercent > _o.ErrorRatePercent)
        {
            Consider(up, "error_rate", F($"error rate {s.ErrorRatePercent:0.##}% > {_o.ErrorRatePercent}%"));
        }

        if (s.QueueDepth > _o.QueueDepth)
        {
            Consider(up, "queue_depth", F($"queue depth {s.QueueDepth:0} > {_o.QueueDepth}"));
        }

        double pool = s.DbConnections / s.DbPoolSize;
        if (s.DbPoolSize > 0 && pool > _o.DbPoolFraction)
        {
            Consider(AtLeastOneMore(s, ProportionalTarget(s, pool / _o.DbPoolFraction, 0)), "db_pool", F($"db connections at {pool:P0} of the pool > {_o.DbPoolFraction:P0}"));
        }

        if (rule is null && st.ScaleDownOkSince is { } quiet && quiet <= now - _o.ScaleDownSustainDuration
            && now - st.FirstSeen >= _o.MinHistoryForScaleDown && proportional < current)
        {
            (desired, rule, reason) = (proportional, "cpu_memory_low",
                F($"cpu {s.CpuPercent:0.#}% < {_o.ScaleDownCpuPercent}% and memory below {_o.ScaleDownMemoryPercent}% since {quiet:u}; {Formula(s, target, proportional)}"));
        }

        return (desired, rule, reason);
    }

    private (int Desired, string? Rule, string? Reason) Proportional(ServiceSnapshot s, double target)
    {
        int desired = ProportionalTarget(s, s.CpuPercent / target, _o.Tolerance);
        return desired == s.Instances
            ? (desired, null, null)
            : (desired, "cpu_proportional", F($"cpu {s.CpuPercent:0.#}% vs target {target}%; {Formula(s, target, desired)}"));
    }

    /// <summary>How the CPU rules' count was reached, for a command's reason.</summary>
    private static string Formula(ServiceSnapshot s, double target, int desired)
    {
        int ready = Ready(s);
        return ready == s.Instances
            ? F($"desired = ceil({s.Instances} × {s.CpuPercent:0.#} / {target})")
            : desired > s.Instances
                ? F($"desired = ceil({ready} ready × {s.CpuPercent:0.#} / {target}); {s.Instances - ready} starting count at 0 %")
                : F($"desired = ceil({ready} ready × {s.CpuPercent:0.#} / {target} + {s.Instances - ready} starting at the target)");
    }

    /// <summary>
    /// desired = ceil(current × ratio), or current while the ratio is within the tolerance of 1 (or unknown), where the
    /// ratio (a per-instance mean over its target) was measured over the ready instances. With instances still starting
    /// it reasons as Kubernetes' HPA: on a scale-up they count at 0 % (ratio × ready / current), on a scale-down at the
    /// target; a result within the tolerance, or one that counting them turns around, keeps the current count.
    /// </summary>
    private static int ProportionalTarget(ServiceSnapshot s, double ratio, double tolerance)
    {
        int current = s.Instances;
        int ready = Ready(s);
        // The epsilon keeps the edge inside: 77 / 70 − 1 is 0.10000000000000009 in doubles, just above a 0.1 tolerance.
        if (!double.IsFinite(ratio) || Math.Abs(ratio - 1) <= tolerance + 1e-9)
        {
            return current;
        }

        if (ready < current)
        {
            // The ready instances' usage plus the starting ones' (0 on a scale-up; on a scale-down the target, so that a
            // scale-in never rests on instances nobody measured), over the whole fleet. Before, the ready instances'
            // mean was multiplied by the provisioned count: each minute of a start-up added instances for load that the
            // starting ones would take, and the HPA preset (no increase cooldown) compounded it.
            double fleet = ratio > 1 ? ratio * ready / current : ((ratio * ready) + (current - ready)) / current;
            if (Math.Abs(fleet - 1) <= tolerance + 1e-9 || (ratio > 1) != (fleet > 1))
            {
                return current;
            }

            ratio = fleet;
        }

        // A tiny epsilon keeps 3 × 1.0000000001 from becoming 4.
        return Math.Max(0, (int)Math.Ceiling((current * ratio) - 1e-9));
    }

    /// <summary>The instances the per-instance means were measured over, within 0 to the provisioned count.</summary>
    private static int Ready(ServiceSnapshot s) => Math.Clamp(s.ReadyInstances, 0, Math.Max(0, s.Instances));

    /// <summary>A threshold rule's count: at least one more than now when every instance is ready (the breach is real).</summary>
    private static int AtLeastOneMore(ServiceSnapshot s, int proportional) =>
        Ready(s) < s.Instances ? proportional : Math.Max(s.Instances + 1, proportional);

    private int Limit(int current, int target)
    {
        if (target > current)
        {
            int relative = (int)Math.Ceiling(current * (1 + (_o.MaxIncreasePercent / 100)));
            target = Math.Min(target, Math.Max(relative, current + _o.MaxIncreaseInstances));
        }
        else if (target < current)
        {
            target = Math.Max(target, (int)Math.Floor(current * (1 - (_o.MaxDecreasePercent / 100))));
        }

        return Math.Clamp(target, _o.MinInstances, _o.MaxInstances);
    }

    private ScalingCommand Issue(ServiceScalingState st, ServiceSnapshot s, int target, ScalingTrigger trigger, string rule, string reason)
    {
        var now = s.Timestamp;
        bool up = target > s.Instances;
        if (up)
        {
            st.LastIncrease = now;
        }
        else
        {
            st.LastDecrease = now;
        }

        // Each action restarts the "for" clocks: the new fleet has to show the condition again.
        st.CpuAboveSince = null;
        st.ScaleDownOkSince = null;
        st.Recommendations.Clear();
        st.Recommendations.Add(now, target);
        return ScalingCommandFactory.Create(s, target, trigger, rule, reason, _o.PricePerInstanceHour,
            up ? _o.IncreaseCooldown : _o.DecreaseCooldown, 2 * _o.EvaluationInterval);
    }

    private void Track(ServiceScalingState st, ServiceSnapshot s)
    {
        st.CpuHour.Add(s.Timestamp, s.CpuPercent);
        st.CpuAboveSince = s.CpuPercent > _o.CpuScaleUpPercent ? st.CpuAboveSince ?? s.Timestamp : null;
        bool quiet = s.CpuPercent < _o.ScaleDownCpuPercent && !(s.MemoryPercent >= _o.ScaleDownMemoryPercent);
        st.ScaleDownOkSince = quiet ? st.ScaleDownOkSince ?? s.Timestamp : null;
    }

    private ServiceScalingState State(string service)
    {
        if (!_states.TryGetValue(service, out var st))
        {
            st = new ServiceScalingState(_o);
            _states.Add(service, st);
        }

        return st;
    }

    /// <summary>The CPU target for <paramref name="service"/>: the one the targets policy sets, when it sets one, else the options'.</summary>
    private double TargetCpuPercent(string service) =>
        _targets?.TargetCpuPercentFor(service) is { } t && double.IsFinite(t) && t > 0 ? t : _o.TargetCpuPercent;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
