using System.Collections.Concurrent;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;

namespace MetricsPipeline.Analytics.State;

/// <summary>
/// Checkpoints the analytics pipeline per source partition and restores it on assignment.
/// </summary>
/// <remarks>
/// <para>What a checkpoint holds: per partition the first offset not yet released (every window its earlier messages
/// fed is closed and acknowledged) and the closed-through time; once per checkpoint the state of every
/// <see cref="ICheckpointedStage"/>. Open windows are not serialised: replaying a partition from its released offset
/// with windows up to the closed-through time suppressed rebuilds them exactly, because the offset tracker releases a
/// message only once all its windows have closed. That keeps the format independent of the window store's layout and
/// bounds the replay to about one window plus the grace.</para>
/// <para>When: the capture stage (<see cref="CaptureStage"/>, last in the stage list) snapshots the stages on the
/// pipeline thread right after a batch that releases offsets, at most once per <see cref="CheckpointOptions.Interval"/>;
/// the snapshot is persisted when the sinks acknowledge that batch (so everything it claims written is written), and
/// only then are the offsets handed to <c>acknowledge</c>: the group's committed offsets never run ahead of the
/// checkpoint.</para>
/// <para>Threads: <see cref="OnAssigned"/>/<see cref="OnRevoked"/> on the consumer's thread; <see cref="BeforeInput"/>,
/// <see cref="ObserveSeries"/>, <see cref="Filter"/> and the capture stage on the pipeline thread;
/// <see cref="OnAcknowledged"/> on the sinks' acknowledgement thread; <see cref="WriteFinal"/> after the pipeline
/// completed.</para>
/// </remarks>
public sealed class PipelineCheckpointer
{
    private readonly CheckpointOptions _options;
    private readonly ICheckpointStore _store;
    private readonly string _group;
    private readonly WindowAggregator _aggregator;
    private readonly IReadOnlyList<ICheckpointedStage> _stages;
    private readonly Action<string, int, long> _acknowledge;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionOwnership> _owned = new();
    private readonly ConcurrentQueue<PendingCheckpoint> _pending = new();
    private readonly ConcurrentQueue<(string Topic, int Partition)> _revoked = new();
    private readonly ConcurrentQueue<(long ClosedThroughNs, StageCheckpoint? Stages)> _restores = new();
    private readonly Dictionary<(string Topic, int Partition), long> _released = [];
    private readonly List<(string Topic, int Partition)> _seriesPartition = [];
    private readonly Lock _gate = new();
    private long _lastCaptureTicks = long.MinValue;
    private long _previousSequence;
    private bool _restoreDecided;

    /// <summary>Creates the checkpointer.</summary>
    /// <param name="options">Interval (and directory, used by the caller to build <paramref name="store"/>).</param>
    /// <param name="store">Where checkpoints go.</param>
    /// <param name="group">The consumer group (checkpoints are per group).</param>
    /// <param name="aggregator">The window stage (its closed-through time is restored).</param>
    /// <param name="stages">The window stages; those implementing <see cref="ICheckpointedStage"/> are saved and restored.</param>
    /// <param name="acknowledge">Stores a partition's next offset at the source (topic, partition, next offset).</param>
    /// <param name="time">Processing-time clock for the interval.</param>
    /// <param name="warn">Receives warnings (corrupt checkpoints, failed writes).</param>
    public PipelineCheckpointer(
        CheckpointOptions options,
        ICheckpointStore store,
        string group,
        WindowAggregator aggregator,
        IEnumerable<IWindowStage> stages,
        Action<string, int, long> acknowledge,
        TimeProvider? time = null,
        Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stages);
        options.Validate();
        _options = options;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        _group = group;
        _aggregator = aggregator ?? throw new ArgumentNullException(nameof(aggregator));
        _stages = stages.OfType<ICheckpointedStage>().ToList();
        _acknowledge = acknowledge ?? throw new ArgumentNullException(nameof(acknowledge));
        _time = time ?? TimeProvider.System;
        _warn = warn ?? (_ => { });
        CaptureStage = new CheckpointCaptureStage(this);
    }

    /// <summary>What checkpointing did so far.</summary>
    public CheckpointCounters Counters { get; } = new();

    /// <summary>The stage to run after all others: it snapshots their state for the next checkpoint.</summary>
    public IWindowStage CaptureStage { get; }

    /// <summary>
    /// Partitions were assigned: reads their checkpoints and returns where each restored partition must start (its
    /// released offset; partitions without a usable checkpoint are absent and start from the committed offset). The
    /// first assignment also queues the stages' and the window stage's restore for <see cref="BeforeInput"/>.
    /// Never throws.
    /// </summary>
    /// <param name="partitions">The assigned partitions.</param>
    /// <param name="committedOffset">The group's committed offset of a partition (−1 when unknown); a store keeping
    /// several checkpoints prefers the one that matches it. Null: unknown.</param>
    public IReadOnlyDictionary<(string Topic, int Partition), long> OnAssigned(IReadOnlyList<(string Topic, int Partition)> partitions, Func<string, int, long>? committedOffset = null)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var starts = new Dictionary<(string, int), long>();
        var restored = new List<PartitionCheckpoint>();
        foreach (var key in partitions)
        {
            CheckpointRead<PartitionCheckpoint> read;
            try
            {
                read = _store.LoadPartition(_group, key.Topic, key.Partition, committedOffset?.Invoke(key.Topic, key.Partition) ?? -1);
            }
#pragma warning disable CA1031 // A broken store must not stop the consumer: the partition starts clean.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                read = new CheckpointRead<PartitionCheckpoint>(null, ex.Message);
            }

            if (read.Problem is not null)
            {
                Counters.AddCleanStart();
                _warn($"Checkpoint of {key.Topic}/{key.Partition} is unusable, starting it clean from the committed offset: {read.Problem}");
            }

            var record = read.Value is { NextOffset: >= 0 } r ? r : null;
            _owned[key] = new PartitionOwnership(record?.ClosedThroughNs ?? long.MinValue, record?.NextOffset ?? -1, record?.ReadOffset ?? -1);
            // Records up to the previous reader's position were counted by it: replaying them is not lateness. A
            // partition without one (clean start, version 1 record) clears any replay left from an earlier assignment.
            _aggregator.BeginReplay(key.Topic, key.Partition, record is not null && record.ReadOffset > record.NextOffset ? record.ReadOffset : -1);
            if (record is not null)
            {

                starts[key] = record.NextOffset;
                restored.Add(record);
                Counters.AddRestored();
            }
        }

        lock (_gate)
        {
            if (!_restoreDecided)
            {
                _restoreDecided = true;
                if (restored.Count > 0)
                {
                    _restores.Enqueue((restored.Min(r => r.ClosedThroughNs), LoadStages(restored)));
                }
            }
            else
            {
                // A takeover: the stage has been running on other partitions, maybe ahead of these checkpoints. Each
                // restored partition catches up against its own closed-through time instead of dropping its replayed
                // points as late (the windows its previous owner had open are rebuilt, then closed with the stage's).
                foreach (var record in restored)
                {
                    _aggregator.BeginCatchUp(record.Topic, record.Partition, record.ClosedThroughNs);
                }
            }
        }

        return starts;
    }

    /// <summary>
    /// Partitions are leaving: their messages still queued are skipped and their series' windows are no longer
    /// emitted (the new owner replays them from the last checkpoint, whose offsets are the committed ones). Never throws.
    /// </summary>
    public void OnRevoked(IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var key in partitions)
        {
            _owned.TryRemove(key, out _);
            _revoked.Enqueue(key);
        }
    }

    /// <summary>
    /// True when messages of this partition are to be processed (it is assigned here); a false answer is counted in
    /// <see cref="CheckpointCounters.MessagesSkipped"/>.
    /// </summary>
    public bool ShouldProcess(string topic, int partition)
    {
        if (_owned.ContainsKey((topic, partition)))
        {
            return true;
        }

        Counters.AddMessageSkipped();
        return false;
    }

    /// <summary>
    /// On the pipeline thread before any input or tick: drops the open windows of revoked partitions and applies a
    /// queued restore.
    /// </summary>
    public void BeforeInput()
    {
        while (_revoked.TryDequeue(out var revoked))
        {
            // Its open windows go: the next owner rebuilds them from the checkpoint, even when that is this instance
            // again (the revocation was queued before the re-assignment, so before any replayed record is processed).
            var series = Enumerable.Range(0, _seriesPartition.Count).Where(id => _seriesPartition[id] == revoked);
            Counters.AddWindowsDiscarded(_aggregator.DiscardOpenWindows(series));
        }

        while (_restores.TryDequeue(out var restore))
        {
            if (!_aggregator.TryRestoreClosedThrough(restore.ClosedThroughNs))
            {
                _warn("The window stage had already started; its closed-through time was not restored.");
                continue;
            }

            if (restore.Stages is null)
            {
                continue;
            }

            foreach (var stage in _stages)
            {
                if (!restore.Stages.States.TryGetValue(stage.Name, out var state))
                {
                    continue;
                }

                try
                {
                    stage.RestoreState(state);
                }
                catch (FormatException ex)
                {
                    Counters.AddStageRestoreFailure();
                    _warn($"The state of stage {stage.Name} could not be restored, it starts empty: {ex.Message}");
                }
            }
        }
    }

    /// <summary>
    /// On the pipeline thread after a message was processed: series registered since the previous call were first seen
    /// in this message, so they belong to its partition (the producer partitions by series).
    /// </summary>
    public void ObserveSeries(string topic, int partition)
    {
        for (var id = _seriesPartition.Count; id < _aggregator.SeriesCount; id++)
        {
            _seriesPartition.Add((topic, partition));
        }
    }

    /// <summary>
    /// On the pipeline thread: drops the windows of series whose partition is not (or no longer) assigned here, or that
    /// end at or before their partition's restored closed-through time (already written by the previous owner), and
    /// the offset releases of partitions not assigned here.
    /// </summary>
    public AggregateBatch Filter(AggregateBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        List<WindowResult>? kept = null;
        for (var i = 0; i < batch.Windows.Count; i++)
        {
            var window = batch.Windows[i];
            var keep = true;
            if ((uint)window.SeriesId < (uint)_seriesPartition.Count)
            {
                var key = _seriesPartition[window.SeriesId];
                keep = _owned.TryGetValue(key, out var owner) && window.StartNs + (window.Size.Ticks * 100) > owner.FloorNs;
            }

            if (!keep && kept is null)
            {
                kept = new List<WindowResult>(batch.Windows.Count);
                for (var j = 0; j < i; j++)
                {
                    kept.Add(batch.Windows[j]);
                }
            }
            else if (keep)
            {
                kept?.Add(window);
            }
        }

        var commits = batch.Commits.All(c => _owned.ContainsKey((c.Topic, c.Partition)))
            ? batch.Commits
            : batch.Commits.Where(c => _owned.ContainsKey((c.Topic, c.Partition))).ToList();
        if (kept is null)
        {
            return ReferenceEquals(commits, batch.Commits) ? batch : batch with { Commits = commits };
        }

        Counters.AddWindowsSuppressed(batch.Windows.Count - kept.Count);
        return batch with { Windows = kept, Commits = commits };
    }

    /// <summary>
    /// The sinks acknowledged a batch: records its releases and, when a snapshot was taken with it, persists the
    /// checkpoint and then hands the offsets to the source. Never throws.
    /// </summary>
    public void OnAcknowledged(IReadOnlyList<OffsetCommit> commits)
    {
        ArgumentNullException.ThrowIfNull(commits);
        lock (_gate)
        {
            foreach (var commit in commits)
            {
                if (!_released.TryGetValue((commit.Topic, commit.Partition), out var current) || commit.NextOffset > current)
                {
                    _released[(commit.Topic, commit.Partition)] = commit.NextOffset;
                }
            }

            // Acknowledgements arrive in batch order, so a snapshot is always the queue's head when its batch is acknowledged.
            if (_pending.TryPeek(out var head) && ReferenceEquals(head.Commits, commits))
            {
                _pending.TryDequeue(out _);
                Persist(head.Sequence, head.ClosedThroughNs, head.States, head.ReadPositions);
            }
        }
    }

    /// <summary>
    /// After the pipeline completed (every batch acknowledged): persists a last checkpoint with the current state and
    /// hands its offsets to the source, so a graceful stop re-reads nothing but the open windows' messages. Never throws.
    /// </summary>
    public void WriteFinal()
    {
        lock (_gate)
        {
            Persist(NextSequence(), _aggregator.ClosedThroughNs, SnapshotStages(), _aggregator.ReadPositions());
        }
    }

    private void Capture(AggregateBatch batch)
    {
        if (batch.Commits.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcTicks;
        if (_lastCaptureTicks != long.MinValue && now - _lastCaptureTicks < _options.Interval.Ticks)
        {
            return;
        }

        _lastCaptureTicks = now;
        _pending.Enqueue(new PendingCheckpoint(batch.Commits, NextSequence(), batch.ClosedThroughNs, SnapshotStages(), _aggregator.ReadPositions()));
    }

    private Dictionary<string, byte[]> SnapshotStages()
    {
        var states = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var stage in _stages)
        {
            states[stage.Name] = stage.SaveState();
        }

        return states;
    }

    private static long NextSequence() => Random.Shared.NextInt64(1, long.MaxValue);

    private void Persist(long sequence, long closedThroughNs, Dictionary<string, byte[]> states, IReadOnlyDictionary<(string Topic, int Partition), long> readPositions)
    {
        var createdMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var records = new List<PartitionCheckpoint>();
        foreach (var (key, owner) in _owned)
        {
            var next = _released.TryGetValue(key, out var released) ? released : owner.StartOffset;
            if (next >= 0)
            {
                // The read position survives a takeover that has not re-read everything yet (owner.ReadOffset).
                var read = Math.Max(readPositions.TryGetValue(key, out var position) ? position : -1, owner.ReadOffset);
                records.Add(new PartitionCheckpoint(key.Topic, key.Partition, next, Math.Max(closedThroughNs, owner.FloorNs), sequence, createdMs, read));
            }
        }

        try
        {
            _store.SaveStages(_group, new StageCheckpoint(sequence, closedThroughNs, states));
            foreach (var record in records)
            {
                _store.SavePartition(_group, record);
            }
        }
#pragma warning disable CA1031 // A failed write keeps the offsets back (the next checkpoint retries); it must not stop the pipeline.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Counters.AddFailed();
            _warn($"Writing checkpoint {sequence:x16} failed; offsets stay at the previous checkpoint: {ex.Message}");
            return;
        }

        if (_previousSequence != 0)
        {
            _store.DeleteStages(_group, _previousSequence);
        }

        _previousSequence = sequence;
        Counters.AddWritten();
        foreach (var record in records)
        {
            _acknowledge(record.Topic, record.Partition, record.NextOffset);
        }
    }

    private StageCheckpoint? LoadStages(List<PartitionCheckpoint> restored)
    {
        // Stage state spans partitions; take the newest checkpoint's (all records agree after a single-instance stop).
        var newest = restored.MaxBy(r => (r.ClosedThroughNs, r.CreatedUnixMs))!;
        if (restored.Any(r => r.Sequence != newest.Sequence))
        {
            _warn("The restored partitions come from different checkpoints; the stages take the newest one's state.");
        }

        CheckpointRead<StageCheckpoint> read;
        try
        {
            read = _store.LoadStages(_group, newest.Sequence);
        }
#pragma warning disable CA1031 // The stages then start empty.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            read = new CheckpointRead<StageCheckpoint>(null, ex.Message);
        }

        if (read.Value is null)
        {
            Counters.AddCleanStart();
            _warn($"The stages' checkpoint {newest.Sequence:x16} is {(read.Problem is null ? "missing" : "unusable: " + read.Problem)}; the stages start empty.");
        }

        return read.Value;
    }

    private sealed record PendingCheckpoint(IReadOnlyList<OffsetCommit> Commits, long Sequence, long ClosedThroughNs, Dictionary<string, byte[]> States, IReadOnlyDictionary<(string Topic, int Partition), long> ReadPositions);

    private sealed record PartitionOwnership(long FloorNs, long StartOffset, long ReadOffset);

    private sealed class CheckpointCaptureStage(PipelineCheckpointer owner) : IWindowStage
    {
        public string Name => "checkpoint";

        public IReadOnlyList<Ingest.Model.MetricPoint> OnWindows(AggregateBatch batch)
        {
            owner.Capture(batch);
            return [];
        }
    }
}
