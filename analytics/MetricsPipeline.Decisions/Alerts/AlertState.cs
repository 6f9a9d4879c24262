namespace MetricsPipeline.Decisions.Alerts;

/// <summary>What the evaluator remembers about one (service, rule). Not thread-safe.</summary>
internal sealed class AlertState
{
    /// <summary>Index of the active level; −1 when not firing.</summary>
    public int Level { get; set; } = -1;

    /// <summary>
    /// Since when the condition of the level above the active one has held (its "for" clock); null while none is
    /// pending. A state restored from a checkpoint before version 5, which kept only this clock, starts the others from it.
    /// </summary>
    public DateTimeOffset? PendingSince { get; set; }

    // The "for" clock of each level above the active one (checkpointed since state version 5; a state restored from an
    // older checkpoint gives the level above the active one PendingSince, and the higher ones start again at their next
    // breach, which can only make them later).
    private DateTimeOffset?[]? _pendingLevels;

    /// <summary>The "for" clocks by level as they are, for a checkpoint; null when none has been made.</summary>
    public IReadOnlyList<DateTimeOffset?>? PendingLevelsSaved => _pendingLevels;

    /// <summary>Restores the "for" clocks by level from a checkpoint.</summary>
    public void RestorePendingLevels(DateTimeOffset?[] levels) => _pendingLevels = levels;

    /// <summary>The "for" clocks by level, created (from <see cref="PendingSince"/> for the level above the active one) when first needed.</summary>
    public DateTimeOffset?[] PendingLevels(int levels)
    {
        if (_pendingLevels is null || _pendingLevels.Length != levels)
        {
            _pendingLevels = new DateTimeOffset?[levels];
            if (Level + 1 < levels)
            {
                _pendingLevels[Level + 1] = PendingSince;
            }
        }

        return _pendingLevels;
    }

    /// <summary>Stops every "for" clock.</summary>
    public void ClearPending()
    {
        PendingSince = null;
        _pendingLevels = null;
    }

    /// <summary>Stops the clocks of <paramref name="level"/> and below (it has just become the active level); higher ones keep running.</summary>
    public void ClearPendingUpTo(int level)
    {
        if (_pendingLevels is not null)
        {
            for (int i = 0; i <= level && i < _pendingLevels.Length; i++)
            {
                _pendingLevels[i] = null;
            }
        }

        PendingSince = _pendingLevels is not null && level + 1 < _pendingLevels.Length ? _pendingLevels[level + 1] : null;
    }

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
