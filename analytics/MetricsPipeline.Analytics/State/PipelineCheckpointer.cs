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
/// <para>Keyed stage state (<see cref="IKeyedCheckpointedStage"/>: per-service or per-series forecasters, detectors,
/// alert and scaling state): the checkpointer learns from the windows which partition feeds each stage key (once per
/// series, through the series → partition map). The state of the keys fed by exactly one partition is saved with the
/// checkpoint in that partition's section (<see cref="StageCheckpoint.PartitionStates"/>); on a takeover it is merged
/// into the running stages before the partition's replayed records are processed, and on revocation those keys are
/// dropped (the partition's next owner restores them, even when that is this member again). A key fed by several
/// partitions (a service spread over partitions by the default routing) is only in the whole-stage state, as before:
/// a takeover cannot restore it exactly.</para>
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
    private readonly List<IKeyedCheckpointedStage> _keyed;
    private readonly Dictionary<string, (string Topic, int Partition)>[] _keyPartition;
    private readonly HashSet<string>[] _sharedKeys;
    private readonly List<bool> _seriesKeysLearned = [];
    private readonly List<string> _keyBuffer = [];
    private readonly ConcurrentQueue<((string Topic, int Partition) Partition, IReadOnlyDictionary<string, byte[]> States)> _keyedRestores = new();
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
        _keyed = _stages.OfType<IKeyedCheckpointedStage>().ToList();
        _keyPartition = _keyed.Select(_ => new Dictionary<string, (string Topic, int Partition)>(StringComparer.Ordinal)).ToArray();
        _sharedKeys = _keyed.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
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
            StageCheckpoint? stages = null;
            if (!_restoreDecided)
            {
                _restoreDecided = true;
                if (restored.Count > 0)
                {
                    stages = LoadStages(restored);
                    _restores.Enqueue((restored.Min(r => r.ClosedThroughNs), stages));
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

            // Either way each restored partition's own stage keys come from its checkpoint, queued behind the revocation
            // that preceded this assignment, so they are merged before any replayed record is processed.
            QueueKeyedRestores(restored, stages);
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
            var series = Enumerable.Range(0, _seriesPartition.Count).Where(id => _seriesPartition[id] == revoked).ToList();
            Counters.AddWindowsDiscarded(_aggregator.DiscardOpenWindows(series));
            DropKeys(revoked, series);
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

        while (_keyedRestores.TryDequeue(out var keyed))
        {
            MergeKeys(keyed.Partition, keyed.States);
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
                Persist(head.Sequence, head.ClosedThroughNs, head.States, head.PartitionStates, head.ReadPositions);
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
            Persist(NextSequence(), _aggregator.ClosedThroughNs, SnapshotStages(), SnapshotPartitionStates(), _aggregator.ReadPositions());
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
        _pending.Enqueue(new PendingCheckpoint(batch.Commits, NextSequence(), batch.ClosedThroughNs, SnapshotStages(), SnapshotPartitionStates(), _aggregator.ReadPositions()));
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

    private void Persist(long sequence, long closedThroughNs, Dictionary<string, byte[]> states, Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>> partitionStates, IReadOnlyDictionary<(string Topic, int Partition), long> readPositions)
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
            _store.SaveStages(_group, new StageCheckpoint(sequence, closedThroughNs, states, partitionStates));
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

    private StageCheckpoint? LoadStages(List<PartitionCheckpoint> restored, bool countCleanStart = true)
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
            if (countCleanStart)
            {
                Counters.AddCleanStart();
            }

            _warn($"The stages' checkpoint {newest.Sequence:x16} is {(read.Problem is null ? "missing" : "unusable: " + read.Problem)}; the stages (or the partition's stage keys) start empty.");
        }

        return read.Value;
    }

    // Once per series (the stages' keys depend on the series only): which partition feeds which stage key.
    private void LearnKeys(AggregateBatch batch)
    {
        if (_keyed.Count == 0)
        {
            return;
        }

        foreach (var window in batch.Windows)
        {
            var id = window.SeriesId;
            if ((uint)id >= (uint)_seriesPartition.Count)
            {
                continue;
            }

            while (_seriesKeysLearned.Count <= id)
            {
                _seriesKeysLearned.Add(false);
            }

            if (_seriesKeysLearned[id])
            {
                continue;
            }

            _seriesKeysLearned[id] = true;
            var partition = _seriesPartition[id];
            for (var s = 0; s < _keyed.Count; s++)
            {
                _keyBuffer.Clear();
                _keyed[s].CollectKeys(window, _keyBuffer);
                foreach (var key in _keyBuffer)
                {
                    Feed(s, key, partition);
                }
            }
        }
    }

    private void Feed(int stage, string key, (string Topic, int Partition) partition)
    {
        if (_sharedKeys[stage].Contains(key))
        {
            return;
        }

        if (!_keyPartition[stage].TryGetValue(key, out var current))
        {
            _keyPartition[stage][key] = partition;
        }
        else if (current != partition)
        {
            // Fed by two partitions: its state is no single partition's, so it stays in the whole-stage state only.
            _keyPartition[stage].Remove(key);
            _sharedKeys[stage].Add(key);
        }
    }

    private Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>> SnapshotPartitionStates()
    {
        var result = new Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>>();
        for (var s = 0; s < _keyed.Count; s++)
        {
            foreach (var group in _keyPartition[s].Where(k => _owned.ContainsKey(k.Value)).GroupBy(k => k.Value, k => k.Key))
            {
                if (!result.TryGetValue(group.Key, out var states))
                {
                    result[group.Key] = states = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                }

                ((Dictionary<string, byte[]>)states)[_keyed[s].Name] = _keyed[s].SaveKeys(group.ToList());
            }
        }

        return result;
    }

    private void DropKeys((string Topic, int Partition) revoked, List<int> series)
    {
        foreach (var id in series)
        {
            if (id < _seriesKeysLearned.Count)
            {
                _seriesKeysLearned[id] = false;
            }
        }

        for (var s = 0; s < _keyed.Count; s++)
        {
            var keys = _keyPartition[s].Where(k => k.Value == revoked).Select(k => k.Key).ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            foreach (var key in keys)
            {
                _keyPartition[s].Remove(key);
            }

            _keyed[s].DropKeys(keys);
            Counters.AddKeysDropped(keys.Count);
        }
    }

    private void MergeKeys((string Topic, int Partition) partition, IReadOnlyDictionary<string, byte[]> states)
    {
        if (!_owned.ContainsKey(partition))
        {
            return; // revoked again before its restore was applied
        }

        for (var s = 0; s < _keyed.Count; s++)
        {
            if (!states.TryGetValue(_keyed[s].Name, out var state))
            {
                continue;
            }

            // A key this member already feeds from another partition spans partitions (default routing): the
            // survivor's own state of it is kept and the key becomes shared.
            var owners = _keyPartition[s];
            var shared = _sharedKeys[s];
            try
            {
                var merged = _keyed[s].MergeKeys(state, key => !shared.Contains(key) && (!owners.TryGetValue(key, out var p) || p == partition));
                foreach (var key in merged)
                {
                    owners[key] = partition;
                }

                Counters.AddKeysRestored(merged.Count);
            }
            catch (FormatException ex)
            {
                Counters.AddStageRestoreFailure();
                _warn($"The keyed state of stage {_keyed[s].Name} for {partition.Topic}/{partition.Partition} could not be restored, its keys start empty: {ex.Message}");
            }
        }
    }

    private void QueueKeyedRestores(List<PartitionCheckpoint> restored, StageCheckpoint? loaded)
    {
        if (_keyed.Count == 0 || restored.Count == 0)
        {
            return;
        }

        var bySequence = new Dictionary<long, StageCheckpoint?>();
        if (loaded is not null)
        {
            bySequence[loaded.Sequence] = loaded;
        }

        foreach (var record in restored)
        {
            if (!bySequence.TryGetValue(record.Sequence, out var stages))
            {
                bySequence[record.Sequence] = stages = LoadStages([record], countCleanStart: false);
            }

            if (stages?.PartitionStates is { } sections && sections.TryGetValue((record.Topic, record.Partition), out var states))
            {
                _keyedRestores.Enqueue(((record.Topic, record.Partition), states));
            }
        }
    }

    private sealed record PendingCheckpoint(IReadOnlyList<OffsetCommit> Commits, long Sequence, long ClosedThroughNs, Dictionary<string, byte[]> States, Dictionary<(string Topic, int Partition), IReadOnlyDictionary<string, byte[]>> PartitionStates, IReadOnlyDictionary<(string Topic, int Partition), long> ReadPositions);

    private sealed record PartitionOwnership(long FloorNs, long StartOffset, long ReadOffset);

    private sealed class CheckpointCaptureStage(PipelineCheckpointer owner) : IWindowStage
    {
        public string Name => "checkpoint";

        public IReadOnlyList<Ingest.Model.MetricPoint> OnWindows(AggregateBatch batch)
        {
            owner.LearnKeys(batch);
            owner.Capture(batch);
            return [];
        }
    }
}
