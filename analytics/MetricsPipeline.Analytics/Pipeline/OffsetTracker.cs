namespace MetricsPipeline.Analytics.Pipeline;

/// <summary>
/// Works out which source offsets may be committed. A message is done when every window its points fell into
/// has been closed and acknowledged by the sinks. Because windows close in event-time order, it is enough to
/// remember, per message, the latest window end its points reach; once every window ending at or before that
/// time is acknowledged, the message is done. Memory is one small entry per in-flight message, not per point.
/// Not thread-safe: owned by the analytics stage.
/// </summary>
public sealed class OffsetTracker
{
    private readonly Dictionary<(string Topic, int Partition), Queue<(long NextOffset, long WindowEndNs)>> _pending = new();

    /// <summary>Records that a message was read; <paramref name="latestWindowEndNs"/> is the end of the last window it feeds
    /// (<see cref="long.MinValue"/> when it fed none, e.g. only bad lines that were already dead-lettered).</summary>
    public void Track(string topic, int partition, long offset, long latestWindowEndNs)
    {
        var key = (topic, partition);
        if (!_pending.TryGetValue(key, out var queue))
        {
            queue = new Queue<(long, long)>();
            _pending[key] = queue;
        }

        // Offsets arrive in order within a partition; a message's done-time never goes backwards relative to
        // the commit rule because commits only advance over a prefix of the queue.
        queue.Enqueue((offset + 1, latestWindowEndNs));
    }

    /// <summary>
    /// Returns the commits allowed now that every window ending at or before <paramref name="closedThroughNs"/> is
    /// closed (not yet acknowledged: the caller attaches the result to the batch that carries those windows and
    /// stores the offsets when that batch is acknowledged).
    /// </summary>
    public IReadOnlyList<OffsetCommit> Release(long closedThroughNs) => Release(closedThroughNs, null);

    /// <summary>
    /// Like <see cref="Release(long)"/>, except that the partitions in <paramref name="closedThroughByPartition"/> have
    /// closed only through their own time (a partition catching up from an older checkpoint).
    /// </summary>
    public IReadOnlyList<OffsetCommit> Release(long closedThroughNs, IReadOnlyDictionary<(string Topic, int Partition), long>? closedThroughByPartition)
    {
        List<OffsetCommit>? result = null;
        foreach (var (key, queue) in _pending)
        {
            long next = -1;
            var closed = closedThroughByPartition is not null && closedThroughByPartition.TryGetValue(key, out var own) ? own : closedThroughNs;
            while (queue.Count > 0 && queue.Peek().WindowEndNs <= closed)
            {
                next = queue.Dequeue().NextOffset;
            }

            if (next >= 0)
            {
                (result ??= []).Add(new OffsetCommit(key.Topic, key.Partition, next));
            }
        }

        return result ?? (IReadOnlyList<OffsetCommit>)Array.Empty<OffsetCommit>();
    }

    /// <summary>Forgets a partition (after it was revoked); its uncommitted messages will be re-read by the new owner.</summary>
    public void Forget(string topic, int partition) => _pending.Remove((topic, partition));

    /// <summary>The number of messages read but not yet releasable.</summary>
    public int PendingMessages => _pending.Values.Sum(q => q.Count);
}
