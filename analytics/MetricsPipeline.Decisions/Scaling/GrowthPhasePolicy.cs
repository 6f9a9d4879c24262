using System.Globalization;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Growth phases by active users. A phase change is a command (trigger <c>phase</c>, rule <c>phase_&lt;name&gt;</c>)
/// that moves the count into the new phase's min/max (action <c>hold</c> if it already is), and
/// <see cref="CurrentPhase"/> tells the other policies which limits and targets apply. Moving down a phase needs the
/// users to fall 10 % below its threshold, so a service at the boundary does not flap. In a
/// <see cref="CompositeScalingPolicy"/> the phase's min/max also bound the other policies' commands
/// (<see cref="IScalingBounds"/>), and a <see cref="ReactiveScalingPolicy"/> given this policy as its
/// <see cref="IScalingTargets"/> scales to the phase's CPU target while the phase is active. Not thread-safe.
/// </summary>
public sealed partial class GrowthPhasePolicy : IScalingPolicy, IScalingBounds, IScalingTargets
{
    private const double DownHysteresis = 0.9;
    private readonly GrowthPhase[] _phases;
    private readonly Dictionary<string, int> _current = new(StringComparer.Ordinal);
    private readonly double _price;
    private readonly TimeSpan _interval;

    /// <summary>Creates the policy.</summary>
    /// <param name="phases">Phases; null means <see cref="GrowthPhase.Defaults"/>. Sorted by threshold; thresholds distinct.</param>
    /// <param name="pricePerInstanceHour">Instance price per hour for the cost delta. The default is 0.10.</param>
    /// <param name="evaluationInterval">Evaluation interval; commands expire after two. The default (null) is 60 s.</param>
    public GrowthPhasePolicy(IEnumerable<GrowthPhase>? phases = null, double pricePerInstanceHour = 0.10, TimeSpan? evaluationInterval = null)
    {
        _phases = (phases ?? GrowthPhase.Defaults()).OrderBy(p => p.MinActiveUsers).ToArray();
        if (_phases.Length == 0)
        {
            throw new ArgumentException("At least one phase is needed.", nameof(phases));
        }

        // Checked here: a phase with min above max failed only at its first phase change (in Math.Clamp), and a NaN
        // threshold or target made a phase that could never be entered or a target the reactive policy ignored.
        for (int i = 0; i < _phases.Length; i++)
        {
            var p = _phases[i];
            if (!(p.MinActiveUsers >= 0) || double.IsInfinity(p.MinActiveUsers) || p.MinInstances < 0 || p.MaxInstances < Math.Max(1, p.MinInstances)
                || !(p.TargetCpuPercent > 0) || double.IsInfinity(p.TargetCpuPercent))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Growth phase '{p.Name}' needs finite MinActiveUsers ≥ 0, 0 ≤ MinInstances ≤ MaxInstances with MaxInstances ≥ 1 and a finite positive TargetCpuPercent (got {p.MinActiveUsers} users, {p.MinInstances}–{p.MaxInstances} instances, {p.TargetCpuPercent}%)."),
                    nameof(phases));
            }

            if (i > 0 && p.MinActiveUsers == _phases[i - 1].MinActiveUsers)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Growth phases '{_phases[i - 1].Name}' and '{p.Name}' both begin at {p.MinActiveUsers} active users."), nameof(phases));
            }
        }

        _price = pricePerInstanceHour;
        _interval = evaluationInterval ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>The phase <paramref name="service"/> is in (the first phase before any snapshot).</summary>
    public GrowthPhase CurrentPhase(string service) => _phases[_current.GetValueOrDefault(service)];

    /// <inheritdoc />
    public ScalingCommand? Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (double.IsNaN(snapshot.ActiveUsers))
        {
            return null;
        }

        bool known = _current.TryGetValue(snapshot.Service, out int current);
        int next = current;
        while (next + 1 < _phases.Length && snapshot.ActiveUsers >= _phases[next + 1].MinActiveUsers)
        {
            next++;
        }

        while (next > 0 && snapshot.ActiveUsers < _phases[next].MinActiveUsers * DownHysteresis)
        {
            next--;
        }

        _current[snapshot.Service] = next;
        if (known && next == current)
        {
            return null;
        }

        var phase = _phases[next];
        int target = Math.Clamp(snapshot.Instances, phase.MinInstances, phase.MaxInstances);
        if (!known && target == snapshot.Instances)
        {
            return null; // the first snapshot only establishes the phase
        }

        string reason = string.Create(CultureInfo.InvariantCulture,
            $"{snapshot.ActiveUsers:0} active users: phase '{phase.Name}' (from {phase.MinActiveUsers:0} users) with {phase.MinInstances}–{phase.MaxInstances} instances at {phase.TargetCpuPercent}% CPU");
        return ScalingCommandFactory.Create(snapshot, target, ScalingTrigger.Phase, "phase_" + phase.Name, reason, _price, TimeSpan.Zero, 2 * _interval);
    }

    /// <summary>The CPU target of the service's phase, or NaN while no snapshot with active users has been seen.</summary>
    public double TargetCpuPercentFor(string service) =>
        _current.TryGetValue(service, out int index) ? _phases[index].TargetCpuPercent : double.NaN;

    /// <summary>The min/max of the service's phase, or no bounds while no snapshot with active users has been seen.</summary>
    public (int Min, int Max) BoundsFor(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_current.TryGetValue(snapshot.Service, out int index))
        {
            return (0, int.MaxValue);
        }

        var phase = _phases[index];
        return (phase.MinInstances, phase.MaxInstances);
    }
}
