namespace MetricsPipeline.Decisions.Scaling;

/// <summary>Which rules a <see cref="ReactiveScalingPolicy"/> applies.</summary>
public enum ScalingRuleSet
{
    /// <summary>The playbook's threshold rules (CPU, memory, latency, errors, queue, DB pool) with "for" durations and a conservative scale-down.</summary>
    Playbook,

    /// <summary>Only the proportional CPU rule in both directions, like the Kubernetes Horizontal Pod Autoscaler.</summary>
    Proportional,
}
