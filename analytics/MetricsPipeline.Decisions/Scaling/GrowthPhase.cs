namespace MetricsPipeline.Decisions.Scaling;

/// <summary>A growth phase: from <see cref="MinActiveUsers"/> active users on, the service runs within these limits and targets. Immutable.</summary>
/// <param name="Name">Phase name: startup, growth, scale, enterprise.</param>
/// <param name="MinActiveUsers">Active users at which the phase begins.</param>
/// <param name="MinInstances">Fewest instances in the phase.</param>
/// <param name="MaxInstances">Most instances in the phase.</param>
/// <param name="TargetCpuPercent">The proportional rule's CPU target in the phase.</param>
public sealed record GrowthPhase(string Name, double MinActiveUsers, int MinInstances, int MaxInstances, double TargetCpuPercent)
{
    /// <summary>The default phases: startup (0 users, 1–4 instances, 70 %), growth (1 000, 2–20, 65 %), scale (10 000, 4–100, 60 %), enterprise (100 000, 10–500, 60 %).</summary>
    public static IReadOnlyList<GrowthPhase> Defaults() =>
    [
        new("startup", 0, 1, 4, 70),
        new("growth", 1_000, 2, 20, 65),
        new("scale", 10_000, 4, 100, 60),
        new("enterprise", 100_000, 10, 500, 60),
    ];
}
