using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Scaling;

/// <summary>
/// A scaling policy: given one service's snapshot at an evaluation time, returns the command to issue, or null.
/// Implementations keep per-service state and assume an issued command is applied. Not thread-safe: call from one
/// thread (the stream's decision stage, or the simulator loop) with non-decreasing timestamps per service.
/// </summary>
public interface IScalingPolicy
{
    /// <summary>Evaluates one snapshot.</summary>
    ScalingCommand? Evaluate(ServiceSnapshot snapshot);
}
