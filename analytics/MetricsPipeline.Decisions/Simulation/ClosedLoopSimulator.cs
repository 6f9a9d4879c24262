using System.Globalization;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Simulation;

/// <summary>
/// The closed-loop simulator: a fleet model (capacity per instance, a latency curve that rises steeply with
/// utilisation, start-up delay, per-instance price) driven by a load trace, evaluated once per step by the real
/// scaling policies on virtual time, with an oracle (knows the future) and static peak provisioning as references.
/// Deterministic: the same trace and options give the same summary. Not thread-safe; one run at a time.
/// </summary>
public sealed class ClosedLoopSimulator
{
    private readonly SimulationOptions _o;

    /// <summary>Creates a simulator.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ClosedLoopSimulator(SimulationOptions? options = null)
    {
        _o = options ?? new SimulationOptions();
        _o.Validate();
    }

    /// <summary>The settings in use.</summary>
    public SimulationOptions Options => _o;

    /// <summary>The capacity per instance for <paramref name="trace"/>: the option, or median / (10 × target utilisation).</summary>
    public double CapacityFor(LoadTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        double median = trace.Median;
        return _o.CapacityPerInstance ?? (median > 0 ? median / (10 * _o.TargetUtilization) : 1);
    }

    /// <summary>Runs <paramref name="policy"/> over <paramref name="trace"/>.</summary>
    /// <param name="trace">The load.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="onCommand">Called with every command the policy emits (applied or advisory), in order.</param>
    /// <param name="onMinute">Called with every simulated step of the policy's run, in order (the timeline behind the summary).</param>
    public SimulationSummary Run(LoadTrace trace, SimulationPolicy policy, Action<ScalingCommand>? onCommand = null, Action<SimulationMinute>? onMinute = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(policy);
        double capacity = CapacityFor(trace);
        double[] load = trace.Resample(_o.Step);
        var curve = new LatencyCurve(_o.BaseP95Ms);
        double rhoMax = curve.MaxUtilization(_o.SloP95Ms);
        double pricePerStep = _o.PricePerInstanceHour * _o.Step.TotalHours;
        int Size(double l, double utilization) => Math.Clamp((int)Math.Ceiling((l / (capacity * utilization)) - 1e-9), _o.MinInstances, _o.MaxInstances);

        var oracle = new RunAccumulator(capacity, pricePerStep, curve, _o.SloP95Ms);
        foreach (double l in load)
        {
            int n = Size(l, rhoMax);
            oracle.Add(n, n, l);
        }

        int staticCount = Size(load.Max(), rhoMax);
        var fixedRun = new RunAccumulator(capacity, pricePerStep, curve, _o.SloP95Ms);
        foreach (double l in load)
        {
            fixedRun.Add(staticCount, staticCount, l);
        }

        var run = policy.Kind == SimulationPolicyKind.Static ? fixedRun : new RunAccumulator(capacity, pricePerStep, curve, _o.SloP95Ms);
        var byTrigger = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int actions = 0;
        int oscillations = 0;
        if (policy.Kind != SimulationPolicyKind.Static)
        {
            string service = trace.Name.Length > 0 ? trace.Name : "simulated";
            var decider = CreatePolicy(policy, capacity);
            var fleet = new FleetState(Size(load[0], _o.TargetUtilization));
            int startupSteps = (int)Math.Ceiling(_o.StartupDelay / _o.Step);
            (int Step, int Direction)? last = null;
            for (int i = 0; i < load.Length; i++)
            {
                fleet.Promote(i);
                double rho = run.Add(fleet.Provisioned, fleet.Ready, load[i]);
                onMinute?.Invoke(new SimulationMinute(i, load[i], fleet.Provisioned, fleet.Ready, rho, curve.P95(rho) > _o.SloP95Ms));
                var snapshot = Snapshot(service, trace.Start + (_o.Step * (i + 1)), fleet.Provisioned, fleet.Ready, rho, load[i], capacity, curve);
                if (decider.Evaluate(snapshot) is not { } command)
                {
                    continue;
                }

                onCommand?.Invoke(command);
                if (command.Advisory || command.TargetInstances == fleet.Provisioned)
                {
                    continue;
                }

                int direction = Math.Sign(command.TargetInstances - fleet.Provisioned);
                if (last is { } previous && previous.Direction != direction && (i - previous.Step) * _o.Step < _o.OscillationWindow)
                {
                    oscillations++;
                }

                last = (i, direction);
                fleet.ScaleTo(command.TargetInstances, i + 1 + startupSteps);
                actions++;
                string trigger = JsonNamingSnake(command.Trigger);
                byTrigger[trigger] = byTrigger.GetValueOrDefault(trigger) + 1;
            }
        }

        // The hindsight-tuned peak rule at no more violation minutes than this run: whether a simple causal rule could
        // have served the same risk for less (for static provisioning it is not a comparison, so it is left out).
        var peakRule = policy.Kind == SimulationPolicyKind.Static ? null : PeakRuleReference.Cheapest(
            load, (int)Math.Ceiling(_o.StartupDelay / _o.Step), l => Size(l, rhoMax),
            () => new RunAccumulator(capacity, pricePerStep, curve, _o.SloP95Ms), run.Violations);
        return new SimulationSummary
        {
            Policy = policy.Name,
            Trace = trace.Name,
            Cost = Math.Round(run.Cost, 4),
            OracleCost = Math.Round(oracle.Cost, 4),
            StaticCost = Math.Round(fixedRun.Cost, 4),
            SloViolationMinutes = run.Violations,
            TotalMinutes = run.Minutes,
            ScalingActions = actions,
            Oscillations = oscillations,
            MeanUtilization = Math.Round(run.MeanUtilization, 4),
            OracleMeanUtilization = Math.Round(oracle.MeanUtilization, 4),
            StaticSloViolationMinutes = fixedRun.Violations,
            StaticInstances = staticCount,
            MeanInstances = Math.Round(run.MeanInstances, 3),
            PeakInstances = run.PeakInstances,
            CapacityPerInstance = Math.Round(capacity, 6),
            SloMaxUtilization = Math.Round(rhoMax, 4),
            ActionsByTrigger = byTrigger,
            PeakRuleCost = peakRule is { } rule ? Math.Round(rule.Cost, 4) : null,
            PeakRuleWindowMinutes = peakRule is { } w ? w.Window * _o.Step.TotalMinutes : null,
            PeakRuleFactor = peakRule?.Factor,
            PeakRuleSloViolationMinutes = peakRule?.Violations,
        };
    }

    /// <summary>The largest utilisation whose p95 stays within the SLO on the latency curve (≈ 0.8466 with the defaults).</summary>
    public double SloMaxUtilization => new LatencyCurve(_o.BaseP95Ms).MaxUtilization(_o.SloP95Ms);

    /// <summary>Creates the decision class a policy names, configured for this simulation (min/max, price, capacity, lead).</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="capacityPerInstance">Load one instance serves at 100 % utilisation.</param>
    public IScalingPolicy CreatePolicy(SimulationPolicy policy, double capacityPerInstance)
    {
        ArgumentNullException.ThrowIfNull(policy);
        switch (policy.Kind)
        {
            case SimulationPolicyKind.Reactive:
            case SimulationPolicyKind.Hpa:
                var reactive = policy.Reactive ?? (policy.Kind == SimulationPolicyKind.Hpa ? ScalingPolicyOptions.Hpa() : new ScalingPolicyOptions());
                reactive.MinInstances = _o.MinInstances;
                reactive.MaxInstances = _o.MaxInstances;
                reactive.PricePerInstanceHour = _o.PricePerInstanceHour;
                reactive.EvaluationInterval = _o.Step;
                return new ReactiveScalingPolicy(reactive);
            case SimulationPolicyKind.Predictive:
                // The named policy provisions its calibrated upper bound at the highest utilisation the SLO allows: the
                // headroom for forecast error is in the bound, so a lower target would pay for the same risk twice. So does
                // a config that does not set its own target (SimulationPolicy.SloDerivedTargetUtilization).
                var predictive = policy.Predictive ?? new PredictiveScalingOptions();
                if (policy.Predictive is null || policy.SloDerivedTargetUtilization)
                {
                    predictive.TargetUtilization = Math.Floor(SloMaxUtilization * 1e4) / 1e4;
                    if (predictive.ScaleInHeadroom >= predictive.TargetUtilization)
                    {
                        // A config's headroom is checked against this target only now (SimulationPolicy.Parse cannot know
                        // it): say so, naming the file, rather than the options' bare message.
                        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                            $"{policy.ConfigPath ?? policy.Name}: \"predictive\": scale_in_headroom {predictive.ScaleInHeadroom} must be below the target utilisation, here the SLO-derived {predictive.TargetUtilization} (the section sets no target_utilization); give a smaller scale_in_headroom or a target_utilization above it."));
                    }
                }

                predictive.CapacityPerInstance = capacityPerInstance;
                predictive.StartupDelay = _o.StartupDelay;
                predictive.Buffer = _o.LeadBuffer;
                predictive.MinInstances = _o.MinInstances;
                predictive.MaxInstances = _o.MaxInstances;
                predictive.PricePerInstanceHour = _o.PricePerInstanceHour;
                predictive.EvaluationInterval = _o.Step;
                // The error budget counts the minutes over this simulation's SLO, unless a config set its own.
                predictive.SloP95Ms = double.IsNaN(predictive.SloP95Ms) ? _o.SloP95Ms : predictive.SloP95Ms;
                // Forecasting at the trace's own (coarser) interval was tried: hourly steps made the bounds far wider, so the step stays 5 minutes.
                var forecaster = policy.Forecaster ?? new SsaLoadForecasterOptions();
                return new PredictiveScalingPolicy(predictive, _ => new SsaLoadForecaster(forecaster));
            default:
                throw new ArgumentException($"Policy kind {policy.Kind} has no decision class.", nameof(policy));
        }
    }

    private static ServiceSnapshot Snapshot(string service, DateTimeOffset time, int provisioned, int ready, double rho, double load, double capacity, LatencyCurve curve)
    {
        // Metrics as the analytics stage would report them for this minute; cpu follows the simulated fleet (3 + 90ρ),
        // measured, like ρ, over the ready instances (the starting ones serve nothing yet and report no metrics).
        double saturated = Math.Min(rho, 10);
        return new ServiceSnapshot(service, time, provisioned)
        {
            ReadyInstances = ready,
            CpuPercent = Math.Min(100, 3 + (90 * saturated)),
            MemoryPercent = 40,
            RequestRate = load,
            ErrorRatePercent = rho > 0.85 ? Math.Min(100, (saturated - 0.85) * 50) : 0.1,
            QueueDepth = rho > 1 ? (saturated - 1) * capacity * 60 : 0,
            LatencyP95Ms = curve.P95(rho),
            LatencyP99Ms = curve.P99(rho),
        };
    }

    private static string JsonNamingSnake(ScalingTrigger trigger) => trigger.ToString().ToLowerInvariant();

    /// <summary>Ready and starting instances. Scale-in removes starting instances first.</summary>
    private sealed class FleetState(int initial)
    {
        private readonly List<int> _pending = [];

        public int Ready { get; private set; } = initial;

        public int Provisioned => Ready + _pending.Count;

        public void Promote(int step) => Ready += _pending.RemoveAll(readyAt => readyAt <= step);

        public void ScaleTo(int target, int readyAt)
        {
            while (Provisioned < target)
            {
                _pending.Add(readyAt);
            }

            while (Provisioned > target)
            {
                if (_pending.Count > 0)
                {
                    _pending.RemoveAt(_pending.Count - 1);
                }
                else
                {
                    Ready--;
                }
            }
        }
    }
}
