using System.Globalization;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Runs several policies on every snapshot (each keeps its own history) and issues at most one command: the
/// largest scale-out if any policy wants one (safety first), otherwise the first other command in policy order; an
/// advisory command (predictive forecast-only mode) only when no policy wants to act, so the advice still reaches the
/// topic. Policies that are also <see cref="IScalingBounds"/> (scheduled minimums, growth phases) bound the chosen
/// command: a scale-out stops at the lowest maximum, a scale-in at the highest minimum, and a command left with
/// nothing to do is dropped. Typical order: phase, scheduled, emergency/reactive, predictive. Not thread-safe (see
/// <see cref="IScalingPolicy"/>).
/// </summary>
/// <param name="policies">The policies, in priority order.</param>
public sealed class CompositeScalingPolicy(params IScalingPolicy[] policies) : IScalingPolicy
{
    private readonly IScalingPolicy[] _policies = policies ?? throw new ArgumentNullException(nameof(policies));

    /// <inheritdoc />
    public ScalingCommand? Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ScalingCommand? best = null;
        ScalingCommand? advice = null;
        foreach (var policy in _policies)
        {
            // Every policy sees every snapshot, even when an earlier one already decided.
            if (policy.Evaluate(snapshot) is not { } command)
            {
                continue;
            }

            if (command.Advisory)
            {
                advice ??= command;
                continue;
            }

            bool better = best is null
                || (command.Action == ScalingAction.ScaleOut && (best.Action != ScalingAction.ScaleOut || command.TargetInstances > best.TargetInstances));
            if (better)
            {
                best = command;
            }
        }

        return best is null ? advice : Bound(snapshot, best);
    }

    private ScalingCommand? Bound(ServiceSnapshot snapshot, ScalingCommand command)
    {
        int min = 0;
        int max = int.MaxValue;
        foreach (var policy in _policies)
        {
            if (policy is IScalingBounds bounds)
            {
                var (lo, hi) = bounds.BoundsFor(snapshot);
                (min, max) = (Math.Max(min, lo), Math.Min(max, hi));
            }
        }

        int current = command.CurrentInstances;
        int target = command.TargetInstances;
        // A bound only shortens a step: a scale-out never turns into a scale-in (the phase policy moves the count into
        // its limits with a command of its own), and a scheduled minimum above a phase maximum is not cut by it.
        int bounded = command.Action switch
        {
            ScalingAction.ScaleOut => Math.Min(target, Math.Max(Math.Max(max, min), current)),
            ScalingAction.ScaleIn => Math.Max(target, Math.Min(min, current)),
            _ => target,
        };
        if (bounded == target)
        {
            return command;
        }

        if (bounded == current)
        {
            return null;
        }

        double perInstance = command.EstimatedMonthlyCostDelta / (target - current);
        return command with
        {
            Id = ScalingCommandId.Compute(command.Service, command.Trigger, command.Rule, command.IssuedAt, bounded),
            TargetInstances = bounded,
            Reason = string.Create(CultureInfo.InvariantCulture, $"{command.Reason}; limited to {bounded} by the scheduled/phase bounds [{min}, {(max == int.MaxValue ? "∞" : max.ToString(CultureInfo.InvariantCulture))}]"),
            EstimatedMonthlyCostDelta = Math.Round(perInstance * (bounded - current), 2),
        };
    }
}
