namespace MetricsPipeline.Anomaly.Nab;

/// <summary>A NAB cost profile (profiles.json's CostMatrix): the weights A_TP, A_FP and A_FN.</summary>
/// <param name="Name">The profile name, e.g. "standard".</param>
/// <param name="TpWeight">A_TP.</param>
/// <param name="FpWeight">A_FP.</param>
/// <param name="FnWeight">A_FN.</param>
public sealed record NabProfile(string Name, double TpWeight, double FpWeight, double FnWeight)
{
    /// <summary>NAB's standard profile (1, 0.11, 1).</summary>
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    /// <summary>NAB's reward_low_FP_rate profile (1, 0.22, 1).</summary>
    public static NabProfile RewardLowFp { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);

    /// <summary>NAB's reward_low_FN_rate profile (1, 0.11, 2).</summary>
    public static NabProfile RewardLowFn { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /// <summary>The three official profiles in NAB's order.</summary>
    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFp, RewardLowFn];
}
