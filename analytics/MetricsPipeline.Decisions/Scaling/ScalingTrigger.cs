namespace MetricsPipeline.Decisions.Scaling;

/// <summary>What produced a scaling command (serialised in snake_case).</summary>
public enum ScalingTrigger
{
    /// <summary>A threshold or proportional rule on current metrics.</summary>
    Reactive,

    /// <summary>A load forecast at the lead time.</summary>
    Predictive,

    /// <summary>A traffic spike (request rate far above its baseline, or an anomaly alert on it).</summary>
    Emergency,

    /// <summary>A cron-like minimum count.</summary>
    Scheduled,

    /// <summary>A growth-phase transition.</summary>
    Phase,
}
