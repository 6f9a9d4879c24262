namespace MetricsPipeline.Decisions.Alerts;

/// <content>
/// Observation gaps: a pending "for" clock counts a breach only while the rule's metric keeps coming, so a silence (or
/// NaN values) of more than <see cref="MaxObservationGap"/> restarts it at the first value after the gap.
/// </content>
public sealed partial class ThresholdAlertEvaluator
{
    /// <summary>The default <see cref="EvaluationInterval"/>: 1 minute, the decision stage's default window.</summary>
    public static readonly TimeSpan DefaultEvaluationInterval = TimeSpan.FromMinutes(1);

    /// <summary>How often each service is evaluated: the spacing of its snapshots. The default is 1 minute.</summary>
    public TimeSpan EvaluationInterval { get; }

    /// <summary>
    /// The longest time between two values of a rule's metric (snapshots in which it is not NaN) that a pending "for"
    /// clock survives: 1.5 × <see cref="EvaluationInterval"/>, so one missed evaluation is a gap while snapshot times that
    /// wobble around the interval are not. After a longer gap the breach is counted from the first value after it: "CPU
    /// over 80 % for 5 minutes" means 5 minutes in which the breach was seen at every evaluation, not two breaching
    /// snapshots 5 minutes (or hours) apart. Before, the clock set at the first breach survived any silence shorter than
    /// <see cref="IdleStateRetention"/>, and the rule fired at the first snapshot back.
    /// </summary>
    public TimeSpan MaxObservationGap => EvaluationInterval + (EvaluationInterval / 2);
}
