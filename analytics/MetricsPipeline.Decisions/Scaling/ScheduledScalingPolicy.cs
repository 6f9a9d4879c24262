using System.Globalization;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// Scheduled scaling: while a rule's window is open, scales the service out to the rule's minimum (the largest of the
/// open rules). It never scales in: when a window closes the reactive or predictive policy brings the count down. In a
/// <see cref="CompositeScalingPolicy"/> its minimum also bounds the other policies' scale-ins (<see cref="IScalingBounds"/>).
/// Deterministic; not thread-safe (see <see cref="IScalingPolicy"/>).
/// </summary>
/// <param name="rules">The rules.</param>
/// <param name="pricePerInstanceHour">Instance price per hour for the cost delta. The default is 0.10.</param>
/// <param name="evaluationInterval">Evaluation interval; commands expire after two. The default (null) is 60 s.</param>
public sealed class ScheduledScalingPolicy(IEnumerable<ScheduledScalingRule> rules, double pricePerInstanceHour = 0.10, TimeSpan? evaluationInterval = null) : IScalingPolicy, IScalingBounds
{
    private readonly ScheduledScalingRule[] _rules = Checked(rules);
    private readonly TimeSpan _interval = evaluationInterval ?? TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public ScalingCommand? Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var best = Open(snapshot);
        if (best is null || snapshot.Instances >= best.MinInstances)
        {
            return null;
        }

        string reason = string.Create(CultureInfo.InvariantCulture,
            $"schedule '{best.Schedule.Expression}' for {best.Duration.TotalHours:0.##} h requires at least {best.MinInstances} instances");
        return ScalingCommandFactory.Create(snapshot, best.MinInstances, ScalingTrigger.Scheduled, best.Name, reason, pricePerInstanceHour, TimeSpan.Zero, 2 * _interval);
    }

    /// <summary>The largest minimum of the service's open windows (no maximum): in a <see cref="CompositeScalingPolicy"/> no other policy scales in below it.</summary>
    public (int Min, int Max) BoundsFor(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return (Open(snapshot)?.MinInstances ?? 0, int.MaxValue);
    }

    // A rule that cannot work fails here: a zero or negative window was never open, silently.
    private static ScheduledScalingRule[] Checked(IEnumerable<ScheduledScalingRule> rules)
    {
        var result = rules?.ToArray() ?? throw new ArgumentNullException(nameof(rules));
        foreach (var rule in result)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(rules));
            if (rule.Duration <= TimeSpan.Zero || rule.MinInstances < 0 || string.IsNullOrEmpty(rule.Service) || rule.Schedule is null)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Scheduled rule '{rule.Name}' needs a service, a schedule, a positive duration and MinInstances ≥ 0 (got service '{rule.Service}', duration {rule.Duration}, min {rule.MinInstances})."),
                    nameof(rules));
            }
        }

        return result;
    }

    private ScheduledScalingRule? Open(ServiceSnapshot snapshot)
    {
        ScheduledScalingRule? best = null;
        foreach (var rule in _rules)
        {
            if (rule.Service == snapshot.Service && rule.MinInstances > (best?.MinInstances ?? 0) && rule.Schedule.IsActive(snapshot.Timestamp, rule.Duration))
            {
                best = rule;
            }
        }

        return best;
    }
}
