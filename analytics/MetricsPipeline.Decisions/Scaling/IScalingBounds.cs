namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// A policy that also bounds what the other policies of a <see cref="CompositeScalingPolicy"/> may do: a scheduled
/// minimum, a growth phase's min/max. Without it a reactive scale-in undoes a scheduled scale-out at the next
/// evaluation and the schedule scales out again, every minute. Same threading rules as <see cref="IScalingPolicy"/>.
/// </summary>
public interface IScalingBounds
{
    /// <summary>
    /// The fewest and most instances the snapshot's service may run at its time, as this policy last saw it; (0,
    /// <see cref="int.MaxValue"/>) when the policy does not constrain the service. Called after <see cref="IScalingPolicy.Evaluate"/>
    /// for the same snapshot.
    /// </summary>
    /// <param name="snapshot">The snapshot just evaluated.</param>
    (int Min, int Max) BoundsFor(ServiceSnapshot snapshot);
}
