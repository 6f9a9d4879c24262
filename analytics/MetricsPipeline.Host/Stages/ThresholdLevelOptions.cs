using MetricsPipeline.Decisions.Alerts;

namespace MetricsPipeline.Host.Stages;

/// <summary>One level of an <see cref="AlertRuleOptions"/> override: fires above <see cref="Threshold"/>, clears below <see cref="Reset"/>.</summary>
public sealed class ThresholdLevelOptions
{
    /// <summary>The level. The default is <see cref="AlertSeverity.Warning"/>.</summary>
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    /// <summary>The value above which the level fires. The default is 0.</summary>
    public double Threshold { get; set; }

    /// <summary>The value below which the level clears again (hysteresis). The default is 0.</summary>
    public double Reset { get; set; }
}
