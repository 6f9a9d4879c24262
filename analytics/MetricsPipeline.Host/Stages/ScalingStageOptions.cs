using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Settings of the decision stage (<see cref="ScalingStage"/>). Bind from <c>Analytics:Scaling</c>; the alert switch
/// is <c>Analytics:Alerts:Enabled</c> and the price <c>Analytics:Cost:PricePerInstanceHour</c>.
/// </summary>
public sealed class ScalingStageOptions
{
    /// <summary>Whether the stage runs at all. The default is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The window size the stage evaluates on; one evaluation per service per window. The default is 1 minute, the
    /// evaluation interval the playbooks' rules are written for.
    /// </summary>
    public TimeSpan WindowSize { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether threshold alerts are evaluated and published. The default is true.</summary>
    public bool AlertsEnabled { get; set; } = true;

    /// <summary>The price of one instance per hour, for <c>cost</c> points and cost deltas in commands. The default is 0.10.</summary>
    public double PricePerInstanceHour { get; set; } = 0.10;

    /// <summary>The reactive policy's rules (playbook defaults; bind <c>Analytics:Scaling:Policy</c>).</summary>
    public ScalingPolicyOptions Policy { get; set; } = new();
}
