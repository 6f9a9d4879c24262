namespace MetricsPipeline.Decisions.Alerts;

/// <summary>What the evaluator remembers about one (service, rule). Not thread-safe.</summary>
internal sealed class AlertState
{
    /// <summary>Index of the active level; −1 when not firing.</summary>
    public int Level { get; set; } = -1;

    public DateTimeOffset? PendingSince { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset LastNotified { get; set; }

    public bool Flapping { get; set; }

    /// <summary>Since when a firing alert's metric has had no value; null while it has one.</summary>
    public DateTimeOffset? NoDataSince { get; set; }

    public Queue<DateTimeOffset> Changes { get; } = new();
}
