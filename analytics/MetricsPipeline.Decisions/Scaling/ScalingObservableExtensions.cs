using System.Reactive.Linq;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>The decision stages as Rx operators: the stream calls the same classes the simulator runs.</summary>
public static class ScalingObservableExtensions
{
    /// <summary>
    /// Evaluates <paramref name="policy"/> on each snapshot as it arrives and emits its commands: no buffering, so a
    /// command leaves in the same notification as the snapshot that triggered it (latency = the snapshot's cadence).
    /// The policy is called serially, as Rx guarantees per subscription; share one policy per subscription.
    /// </summary>
    public static IObservable<ScalingCommand> DecideScaling(this IObservable<ServiceSnapshot> snapshots, IScalingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(policy);
        return snapshots.Select(policy.Evaluate).Where(c => c is not null).Select(c => c!);
    }

    /// <summary>Evaluates threshold rules on each snapshot and emits the resulting alert events.</summary>
    public static IObservable<AlertEnvelope> EvaluateThresholds(this IObservable<ServiceSnapshot> snapshots, ThresholdAlertEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(evaluator);
        return snapshots.SelectMany(evaluator.Evaluate);
    }
}
