using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// One growth phase of the decision stage (bind <c>Analytics:Scaling:Phases:0:…</c>): from <see cref="MinActiveUsers"/>
/// active users (the fleet's <c>active_users</c> field, summed over the instances) the service runs within
/// <see cref="MinInstances"/>–<see cref="MaxInstances"/>.
/// </summary>
public sealed class GrowthPhaseOptions
{
    /// <summary>Phase name (startup, growth, scale, enterprise), in the command's rule <c>phase_&lt;name&gt;</c>. Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Active users at which the phase begins. The default is 0.</summary>
    public double MinActiveUsers { get; set; }

    /// <summary>Fewest instances in the phase. The default is 1.</summary>
    public int MinInstances { get; set; } = 1;

    /// <summary>Most instances in the phase. The default is 100.</summary>
    public int MaxInstances { get; set; } = 100;

    /// <summary>
    /// The phase's CPU target in percent: while the phase is active the reactive policy's proportional rule scales to it
    /// instead of <c>Analytics:Scaling:Policy:TargetCpuPercent</c> (also in the phase command's reason). The default is 70.
    /// </summary>
    public double TargetCpuPercent { get; set; } = 70;

    /// <summary>The phase these settings describe.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public GrowthPhase ToPhase()
    {
        if (string.IsNullOrWhiteSpace(Name) || !(MinActiveUsers >= 0) || double.IsInfinity(MinActiveUsers) || MinInstances < 0 || MaxInstances < Math.Max(1, MinInstances) || !(TargetCpuPercent > 0) || double.IsInfinity(TargetCpuPercent))
        {
            throw new ArgumentException($"Analytics:Scaling:Phases '{Name}' needs a Name, MinActiveUsers ≥ 0, 0 ≤ MinInstances ≤ MaxInstances (MaxInstances ≥ 1) and a positive TargetCpuPercent.");
        }

        return new GrowthPhase(Name, MinActiveUsers, MinInstances, MaxInstances, TargetCpuPercent);
    }
}
