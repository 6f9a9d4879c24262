namespace MetricsPipeline.Decisions.Commands;

/// <summary>What <see cref="ScalingCommandApplier.Apply"/> did with a command.</summary>
public enum ApplyOutcome
{
    /// <summary>The target count was set.</summary>
    Applied,

    /// <summary>The id was seen before (a replay or a redelivery); nothing was done.</summary>
    Duplicate,

    /// <summary>The command is advisory (forecast-only mode); nothing was done.</summary>
    Advisory,

    /// <summary>The command arrived after its expiry; nothing was done.</summary>
    Expired,

    /// <summary>The service already runs the target count.</summary>
    Unchanged,

    /// <summary>The message declares a schema other than <c>scaling-command/v1</c> (a newer producer); nothing was done.</summary>
    UnsupportedSchema,

    /// <summary>
    /// Not applied: issued before the last command applied (or found already in effect) for the same service, so it
    /// would undo a newer decision (a redelivered or late message).
    /// </summary>
    Superseded,
}
