namespace MetricsPipeline.Decisions.Alerts;

/// <summary>What the evaluator remembers about one (service, rule). Not thread-safe.</summary>
internal sealed class AlertState
{
    /// <summary>Index of the active level; −1 when not firing.</summary>
    public int Level { get; set; } = -1;

    /// <summary>Since when a higher level's condition has held (the "for" clock); null while none is pending.</summary>
    public DateTimeOffset? PendingSince { get; set; }

    /// <summary>
    /// When the rule's metric last had a value for the service (checkpointed since state version 4): a pending "for"
    /// clock restarts when the next value comes more than the evaluator's observation gap later. Null when unknown.
    /// </summary>
    public DateTimeOffset? LastObserved { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset LastNotified { get; set; }

    public bool Flapping { get; set; }

    /// <summary>Since when a firing alert's metric has had no value; null while it has one.</summary>
    public DateTimeOffset? NoDataSince { get; set; }

    public Queue<DateTimeOffset> Changes { get; } = new();
}
