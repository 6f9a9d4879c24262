namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// A policy that sets the utilisation targets another policy scales to for a while: a growth phase's CPU target for
/// the reactive policy (<see cref="ReactiveScalingPolicy"/>) while the phase is active. Same threading rules as
/// <see cref="IScalingPolicy"/>.
/// </summary>
public interface IScalingTargets
{
    /// <summary>
    /// The CPU target, in percent, of the proportional rule desired = ceil(current × cpu / target) for
    /// <paramref name="service"/> now; <see cref="double.NaN"/> when this policy sets none (the other policy keeps its
    /// own). Read after this policy has evaluated the service's current snapshot.
    /// </summary>
    /// <param name="service">The service.</param>
    double TargetCpuPercentFor(string service);
}
