using System.Globalization;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Commands;

/// <summary>
/// Deterministic command ids: a SHA-256 over service, trigger, rule, the decision's input time and the target count,
/// so replaying the same input yields the same id and consumers can deduplicate. Thread-safe.
/// </summary>
public static class ScalingCommandId
{
    /// <summary>Computes the id: 32 lowercase hex characters (128 bits of the hash).</summary>
    /// <param name="service">The service.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="rule">The rule name.</param>
    /// <param name="inputTime">The end of the input window the decision was made on.</param>
    /// <param name="target">The target instance count.</param>
    public static string Compute(string service, ScalingTrigger trigger, string rule, DateTimeOffset inputTime, int target)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(rule);
        return DeterministicId.Compute(service, trigger.ToString(), rule,
            inputTime.UtcTicks.ToString(CultureInfo.InvariantCulture), target.ToString(CultureInfo.InvariantCulture));
    }
}
