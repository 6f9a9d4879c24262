using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Runs several policies on every snapshot (each keeps its own history) and issues at most one command: the
/// largest scale-out if any policy wants one (safety first), otherwise the first other command in policy order.
/// Typical order: phase, scheduled, emergency/reactive, predictive. Not thread-safe (see <see cref="IScalingPolicy"/>).
/// </summary>
/// <param name="policies">The policies, in priority order.</param>
public sealed class CompositeScalingPolicy(params IScalingPolicy[] policies) : IScalingPolicy
{
    private readonly IScalingPolicy[] _policies = policies ?? throw new ArgumentNullException(nameof(policies));

    /// <inheritdoc />
    public ScalingCommand? Evaluate(ServiceSnapshot snapshot)
    {
        ScalingCommand? best = null;
        foreach (var policy in _policies)
        {
            // Every policy sees every snapshot, even when an earlier one already decided.
            if (policy.Evaluate(snapshot) is not { } command)
            {
                continue;
            }

            bool better = best is null
                || (command.Action == ScalingAction.ScaleOut && (best.Action != ScalingAction.ScaleOut || command.TargetInstances > best.TargetInstances));
            if (better && !command.Advisory)
            {
                best = command;
            }
        }

        return best;
    }
}
