namespace MetricsPipeline.Decisions.Scaling;

/// <summary>The direction of a scaling command (serialised in snake_case).</summary>
public enum ScalingAction
{
    /// <summary>Add instances.</summary>
    ScaleOut,

    /// <summary>Remove instances.</summary>
    ScaleIn,

    /// <summary>Keep the count (used for phase transitions that only change limits).</summary>
    Hold,
}
