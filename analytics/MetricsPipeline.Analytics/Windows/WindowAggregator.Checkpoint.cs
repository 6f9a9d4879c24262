using System.Collections.Concurrent;

namespace MetricsPipeline.Analytics.Windows;

/// <content>
/// Restoring from a checkpoint (see <c>State/PipelineCheckpointer</c>): the closed-through time of a fresh stage, and
/// the per-partition catch-up of a partition taken over from another instance whose checkpoint is behind this one.
/// </content>
public sealed partial class WindowAggregator
{
    private readonly ConcurrentQueue<(string Topic, int Partition, long FloorNs)> _catchUpRequests = new();

    // Partitions replaying from a checkpoint older than _closedThroughNs, with that checkpoint's closed-through time:
    // their points are late only at or before it. Emptied by the next close that advances (see CloseThrough).
    private readonly Dictionary<(string Topic, int Partition), long> _catchUp = [];

    private readonly ConcurrentQueue<(string Topic, int Partition, long UntilOffset)> _replayRequests = new();

    // Partitions re-reading records some owner already read (offsets below the read position of the checkpoint they
    // resume from): their points behind the closed-through time are replayed, not late. Entries go once passed.
    private readonly Dictionary<(string Topic, int Partition), long> _replayUntil = [];

    // One past the highest offset processed per partition: the read position a checkpoint records.
    private readonly Dictionary<(string Topic, int Partition), long> _readPositions = [];

    /// <summary>Partitions currently catching up from an older checkpoint (see <see cref="BeginCatchUp"/>).</summary>
    public int PartitionsCatchingUp => _catchUp.Count;

    /// <summary>
    /// Starts a fresh stage as if every window ending at or before <paramref name="closedThroughNs"/> (Unix ns) had
    /// already been closed and written: replayed points of such windows are dropped (counted as replayed when their
    /// records are below the checkpoint's read position, see <see cref="BeginReplay"/>, else late), so a restart from
    /// a checkpoint neither re-emits nor half-rewrites them. Only a stage that has seen nothing yet can be
    /// restored; returns false (and changes nothing) otherwise. Call it on the pipeline thread.
    /// </summary>
    public bool TryRestoreClosedThrough(long closedThroughNs)
    {
        if (_registry.Count > 0 || _closedThroughNs != long.MinValue)
        {
            return false;
        }

        _closedThroughNs = closedThroughNs;
        return true;
    }

    /// <summary>
    /// A partition taken over from another instance replays from its checkpoint, which said every window ending at or
    /// before <paramref name="floorNs"/> was written. When this stage has already closed further than that (it ran
    /// ahead on its own partitions), the partition's points are judged late against <paramref name="floorNs"/>
    /// instead of the stage's closed-through time, and its windows stay open until the stage's watermark — which the
    /// replaying partition holds back — passes them again; so the takeover rebuilds exactly the windows the previous
    /// owner had open instead of dropping their points as late. Its messages are not released for commit before
    /// those windows close. Thread-safe (takes effect at the next <see cref="Process"/> or <see cref="Advance"/>).
    /// </summary>
    public void BeginCatchUp(string topic, int partition, long floorNs)
    {
        ArgumentNullException.ThrowIfNull(topic);
        _catchUpRequests.Enqueue((topic, partition, floorNs));
    }

    /// <summary>
    /// Drops the open windows of the given series without emitting them: their partition was revoked, and its next
    /// owner rebuilds them from the checkpoint. Without this, a partition that comes back while they are still open
    /// would add its replayed records to them a second time. Returns how many windows were dropped. Call it on the
    /// pipeline thread.
    /// </summary>
    public int DiscardOpenWindows(IEnumerable<int> seriesIds)
    {
        ArgumentNullException.ThrowIfNull(seriesIds);
        var discarded = 0;
        foreach (var id in seriesIds)
        {
            if (!_registry.Contains(id))
            {
                continue;
            }

            discarded += _closer.Discard(_registry[id], _sizesNs);
            if ((id + 1) * _sizesNs.Length <= _current.Length)
            {
                Array.Clear(_current, id * _sizesNs.Length, _sizesNs.Length);
            }
        }

        return discarded;
    }

    /// <summary>
    /// A partition restored from a checkpoint re-reads records below <paramref name="untilOffset"/> (the read position
    /// the checkpoint recorded, see <see cref="ReadPositions"/>): their points whose windows had already closed were
    /// counted by the previous reader, so they count as replayed (<see cref="Telemetry.PipelineCounters.ReplayedPoints"/>),
    /// not late. Points of later records are judged as usual. A negative <paramref name="untilOffset"/> ends any replay
    /// of the partition (a clean start). Thread-safe (takes effect at the next
    /// <see cref="Process"/> or <see cref="Advance"/>).
    /// </summary>
    public void BeginReplay(string topic, int partition, long untilOffset)
    {
        ArgumentNullException.ThrowIfNull(topic);
        _replayRequests.Enqueue((topic, partition, untilOffset));
    }

    /// <summary>
    /// A copy of one past the highest offset processed per source partition (processing time order; pseudo-partitions
    /// of <see cref="ProcessPoints"/> are not included). Call it on the pipeline thread, or after it has stopped.
    /// </summary>
    public IReadOnlyDictionary<(string Topic, int Partition), long> ReadPositions() => new Dictionary<(string Topic, int Partition), long>(_readPositions);

    /// <summary>Records the read position and tells whether this message is a re-read one (see <see cref="BeginReplay"/>).</summary>
    private bool IsReplay(string topic, int partition, long offset)
    {
        ApplyReplays();
        var key = (topic, partition);
        ref var position = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_readPositions, key, out var exists);
        if (!exists || offset + 1 > position)
        {
            position = offset + 1;
        }

        if (_replayUntil.Count == 0 || !_replayUntil.TryGetValue(key, out var until))
        {
            return false;
        }

        if (offset < until)
        {
            return true;
        }

        _replayUntil.Remove(key);
        return false;
    }

    private void ApplyReplays()
    {
        while (!_replayRequests.IsEmpty && _replayRequests.TryDequeue(out var request))
        {
            if (request.UntilOffset >= 0)
            {
                _replayUntil[(request.Topic, request.Partition)] = request.UntilOffset;
            }
            else
            {
                _replayUntil.Remove((request.Topic, request.Partition));
            }
        }
    }

    private void ApplyCatchUps()
    {
        while (_catchUpRequests.TryDequeue(out var request))
        {
            if (request.FloorNs < _closedThroughNs)
            {
                _catchUp[(request.Topic, request.Partition)] = request.FloorNs;
            }
            else
            {
                _catchUp.Remove((request.Topic, request.Partition));
            }
        }
    }

    /// <summary>The time at or before which a point of this partition's message is late.</summary>
    private long ClosedFor(string topic, int partition) =>
        _catchUp.Count > 0 && _catchUp.TryGetValue((topic, partition), out var floor) ? floor : _closedThroughNs;

    /// <summary>
    /// True when partitions catch up and the watermark (which they hold back while they replay) has reached the
    /// closed-through time again: every point of their windows up to it has been read, so those windows can close.
    /// </summary>
    private bool CatchUpComplete(long targetNs) => _catchUp.Count > 0 && targetNs >= _closedThroughNs;

    /// <summary>
    /// A close up to <paramref name="targetNs"/> is running: when it reaches the closed-through time it closes every
    /// window the catching-up partitions opened (they held the watermark back until then, or went idle), so they
    /// rejoin the stage's time. (A further chunk of an earlier close does not.)
    /// </summary>
    private void EndCatchUps(long targetNs)
    {
        if (targetNs >= _closedThroughNs)
        {
            _catchUp.Clear();
        }
    }

    /// <summary>Offsets committable now: a catching-up partition's messages wait for the close that passes their windows.</summary>
    private IReadOnlyList<Pipeline.OffsetCommit> ReleaseOffsets(long targetNs) =>
        _catchUp.Count == 0 ? _offsets.Release(targetNs) : _offsets.Release(targetNs, _catchUp);
}
