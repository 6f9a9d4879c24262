using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// The event-time tumbling-window stage. <see cref="Process"/> parses line-protocol messages straight from bytes
/// into a reused batch of <see cref="AggregationPoint"/>s, which the hot loop (<see cref="ProcessPoints"/>, also
/// public for pre-parsed input) adds to the open window of its series at each configured resolution; windows close
/// once the watermark has passed their end plus the grace. Series state lives in arrays indexed by series id, each
/// field's window holds a reused DDSketch plus moments, so steady state allocates nothing per point.
/// Not thread-safe: one instance is driven by one thread (the Rx pipeline serialises calls), except
/// <see cref="OnPartitionsChanged"/>.
/// </summary>
public sealed partial class WindowAggregator
{
    private const string DirectSource = "direct";

    private readonly WindowOptions _options;
    private readonly TimeProvider _time;
    private readonly long[] _sizesNs;
    private readonly string?[] _retentionPolicies;
    private readonly long _graceNs;
    private readonly long _horizonNs;
    private readonly SeriesRegistry _registry;
    private readonly WindowCloser _closer;
    private readonly WatermarkTracker _watermark;
    private readonly OffsetTracker _offsets = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(bool Assigned, string Topic, int Partition)> _assignments = new();
    private AggregationPoint[] _scratch = new AggregationPoint[256];

    // Flat per-series arrays for the hot loop (index seriesId × resolutions + r): the window each series used last
    // at each resolution, and each series' field count. Reading them sequentially costs far fewer cache misses than
    // walking from a series object.
    private OpenWindow?[] _current = new OpenWindow?[1024];
    private int[] _fieldCounts = new int[512];

    // Each series' first field key (the shared array from the name cache), so that a line of a one-field series finds
    // its field index without reading the series object.
    private byte[]?[] _firstFieldKeys = new byte[]?[512];
    private long _closedThroughNs = long.MinValue;

    // The cut-off the last complete close reached: windows through _closedThroughNs refuse new points at once, but
    // while some of them still wait to be emitted (chunked close) batches report this earlier mark.
    private long _emittedThroughNs = long.MinValue;
    private bool _pendingWindows;
    private long _rejectionsLogged;

    /// <summary>Creates the stage.</summary>
    /// <param name="options">Window settings; validated here.</param>
    /// <param name="counters">Where the stage counts what it does.</param>
    /// <param name="time">The processing-time clock (stamps points without a timestamp; idle detection).</param>
    public WindowAggregator(WindowOptions options, PipelineCounters counters, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _time = time ?? TimeProvider.System;
        _sizesNs = options.Sizes.Select(s => s.Ticks * 100).ToArray();
        _retentionPolicies = options.Sizes.Select(s => options.RetentionPolicies.TryGetValue(WindowOptions.FormatSize(s), out var rp) ? rp : null).ToArray();
        _graceNs = options.Grace.Ticks * 100;
        _horizonNs = options.LateUpdateHorizon.Ticks * 100;
        _registry = new SeriesRegistry(options, _sizesNs.Length);
        _closer = new WindowCloser(options, _sizesNs.Length);
        _watermark = new WatermarkTracker(options.IdleTimeout, _time);
    }

    /// <summary>
    /// Says whether the source holds records this stage has not received yet (e.g. its queue is not empty). Set it
    /// when the source can tell: a partition is then not declared idle merely because the whole stage was stalled (see
    /// <see cref="WatermarkTracker.InputPending"/>). Null (the default): idleness is processing time alone.
    /// </summary>
    public Func<bool>? InputPending
    {
        get => _watermark.InputPending;
        set => _watermark.InputPending = value;
    }

    /// <summary>The counters this stage updates.</summary>
    public PipelineCounters Counters { get; }

    /// <summary>The number of series currently known.</summary>
    public int SeriesCount => _registry.Count;

    /// <summary>
    /// Every window ending at or before this event time (Unix ns) has been closed to new points (later points for
    /// them are late). While <see cref="HasPendingWindows"/>, some of them have not been emitted yet.
    /// </summary>
    public long ClosedThroughNs => _closedThroughNs;

    /// <summary>
    /// True when the last <see cref="Advance"/> stopped at <see cref="WindowOptions.MaxWindowsPerBatch"/> and closed
    /// windows are still waiting to be emitted: call <see cref="Advance"/> again (before more input, to keep latency low).
    /// </summary>
    public bool HasPendingWindows => _pendingWindows;

    /// <summary>The number of source messages read whose offsets are not yet committable.</summary>
    public int PendingMessages => _offsets.PendingMessages;

    /// <summary>
    /// Called with a human-readable reason when a new series is refused by a cardinality limit: for the first
    /// refusal and then every 10 000th, so that a cardinality explosion is visible in the log without flooding it
    /// (every refusal is counted in <see cref="Counters"/>). Null by default.
    /// </summary>
    public Action<string>? RejectionLog { get; set; }

    /// <summary>
    /// Tells the stage that partitions were assigned to (or revoked from) this consumer. Thread-safe: it may be
    /// called from the consumer's thread; the change takes effect at the next <see cref="Process"/> or
    /// <see cref="Advance"/>. Assigned partitions hold the watermark back until they deliver or go idle.
    /// </summary>
    public void OnPartitionsChanged(bool assigned, string topic, IEnumerable<int> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var partition in partitions)
        {
            _assignments.Enqueue((assigned, topic, partition));
        }
    }

    /// <summary>
    /// Registers (or finds) a series for <see cref="ProcessPoints"/>; tags are sorted by key. Returns its id, or −1
    /// when a cardinality limit refuses it (counted and logged like a refused line).
    /// </summary>
    public int RegisterSeries(string measurement, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(tags);
        var series = _registry.Find(measurement, tags, out var rejection);
        if (series is null)
        {
            CountRejection(rejection);
            return -1;
        }

        Track(series);
        return series.Id;
    }

    /// <summary>Registers (or finds) a field of a registered series; returns its index for <see cref="AggregationPoint.FieldIndex"/>.</summary>
    public int RegisterField(int seriesId, string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!_registry.Contains(seriesId))
        {
            throw new ArgumentOutOfRangeException(nameof(seriesId), seriesId, "Unknown series id.");
        }

        var series = _registry[seriesId];
        var index = series.FieldIndex(field, _options);
        Track(series);
        return index;
    }

    /// <summary>
    /// Reads one message: parses it into points, aggregates the valid ones (<see cref="ProcessPoints"/>'s loop), and
    /// appends one dead letter per bad line to <paramref name="deadLetters"/> (the caller writes them before the
    /// message's offset can be committed).
    /// </summary>
    public void Process(in SourceMessage message, List<DeadLetter> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        ApplyAssignments();
        Counters.AddMessages(1);
        var payload = message.Payload.Span;
        var reader = new LineProtocolReader(payload);
        var nowNs = (_time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        long points = 0, errors = 0, nonNumeric = 0;
        var n = 0;
        while (reader.MoveNext())
        {
            if (!reader.IsValid)
            {
                errors++;
                deadLetters.Add(reader.Error.ToDeadLetter(payload, $"{message.Topic}/{message.Partition}@{message.Offset}"));
                continue;
            }

            var line = reader.Current;
            var id = _registry.FindId(line, out var rejection);
            if (id < 0)
            {
                CountRejection(rejection);
                continue;
            }

            if (id >= _fieldCounts.Length)
            {
                Track(_registry[id]);
            }

            points++;
            var ts = line.HasTimestamp ? line.TimestampNs : nowNs;
            foreach (var field in line.Fields)
            {
                if (!field.TryGetNumber(out var value) || !double.IsFinite(value))
                {
                    nonNumeric++;
                    continue;
                }

                if (n == _scratch.Length)
                {
                    Array.Resize(ref _scratch, n * 2);
                }

                int fieldIndex;
                if (_firstFieldKeys[id] is { } first && field.KeyRaw.SequenceEqual(first))
                {
                    fieldIndex = 0;
                }
                else
                {
                    var series = _registry[id];
                    fieldIndex = series.FieldIndex(field.KeyRaw, _options);
                    if (fieldIndex >= _fieldCounts[id])
                    {
                        Track(series);
                    }
                }

                _scratch[n++] = new AggregationPoint(id, fieldIndex, ts, value);
            }
        }

        Counters.AddPoints(points);
        Counters.AddParseErrors(errors);
        Counters.AddNonNumeric(nonNumeric);
        var replayed = IsReplay(message.Topic, message.Partition, message.Offset);
        var (maxEventNs, latestWindowEnd) = Aggregate(_scratch.AsSpan(0, n), ClosedFor(message.Topic, message.Partition), replayed);
        if (maxEventNs != long.MinValue)
        {
            _watermark.Observe(message.Topic, message.Partition, maxEventNs);
        }

        _offsets.Track(message.Topic, message.Partition, message.Offset, latestWindowEnd);
    }

    /// <summary>
    /// The hot loop for pre-parsed input: adds every value to its series' windows. Event time advances the watermark
    /// of the pseudo-partition <paramref name="source"/>/<paramref name="partition"/>. Allocates nothing in steady
    /// state (only when a series opens a window for the first time or a sketch grows to a new range).
    /// Points with an unknown series id or a non-finite value are ignored and counted as non-numeric.
    /// </summary>
    public void ProcessPoints(ReadOnlySpan<AggregationPoint> points, string source = DirectSource, int partition = 0)
    {
        ApplyAssignments();
        Counters.AddPoints(points.Length);
        var (maxEventNs, _) = Aggregate(points, _closedThroughNs, replayed: false);
        if (maxEventNs != long.MinValue)
        {
            _watermark.Observe(source, partition, maxEventNs);
        }
    }

    /// <summary>
    /// Closes every window whose end plus the grace the watermark has passed, emitting at most
    /// <see cref="WindowOptions.MaxWindowsPerBatch"/> of them; while <see cref="HasPendingWindows"/> is true afterwards,
    /// the next call emits the next chunk. Only the chunk that completes a close carries the offset commits, the
    /// late-update corrections and the new <see cref="AggregateBatch.ClosedThroughNs"/> (earlier chunks repeat the
    /// previous mark, so rollups never close a range before all of its windows arrived).
    /// </summary>
    public AggregateBatch Advance()
    {
        ApplyAssignments();
        var watermark = _watermark.Current;
        return CloseThrough(watermark == long.MinValue ? long.MinValue : watermark - _graceNs, _options.MaxWindowsPerBatch);
    }

    /// <summary>
    /// Closes and emits every open window in one batch (end of input or shutdown), making every read offset
    /// committable. Unlike <see cref="Advance"/> it is not chunked.
    /// </summary>
    public AggregateBatch Drain() => CloseThrough(long.MaxValue, int.MaxValue);

    /// <summary>Forgets a revoked partition's uncommitted offsets and watermark (its new owner re-reads them).</summary>
    public void ForgetPartition(string topic, int partition)
    {
        _offsets.Forget(topic, partition);
        _watermark.Remove(topic, partition);
    }

    private (long MaxEventNs, long LatestWindowEnd) Aggregate(ReadOnlySpan<AggregationPoint> points, long closed, bool replayed)
    {
        var sizes = _sizesNs;
        long maxEventNs = long.MinValue, latestWindowEnd = long.MinValue;
        long values = 0, late = 0, lateUpdates = 0, ignored = 0;
        var current = _current;
        var fieldCounts = _fieldCounts;
        var resolutions = sizes.Length;
        foreach (ref readonly var p in points)
        {
            var id = p.SeriesId;
            if ((uint)id >= (uint)fieldCounts.Length || (uint)p.FieldIndex >= (uint)fieldCounts[id] || !double.IsFinite(p.Value))
            {
                ignored++;
                continue;
            }

            var ts = p.TimestampNs;
            if (ts > maxEventNs)
            {
                maxEventNs = ts;
            }

            var missed = false;
            for (var r = 0; r < resolutions; r++)
            {
                var size = sizes[r];
                var start = FloorTo(ts, size);
                var end = start + size;
                if (end <= closed)
                {
                    if (_horizonNs > 0 && end > closed - _horizonNs && _closer.TryLateUpdate(_registry[id], r, start, p.FieldIndex, ts, p.Value))
                    {
                        lateUpdates++;
                        latestWindowEnd = Math.Max(latestWindowEnd, end);
                    }
                    else
                    {
                        missed = true;
                    }

                    continue;
                }

                if (end > latestWindowEnd)
                {
                    latestWindowEnd = end;
                }

                // A cached window is valid when it is still the open one for this start and resolution: window
                // objects are recycled only within their series, and a closed one is never reached here (end > closed).
                var slot = (id * resolutions) + r;
                var window = current[slot];
                if (window is null || window.StartNs != start || window.Resolution != r)
                {
                    window = _closer.OpenFor(_registry[id], r, start, end);
                    current[slot] = window;
                }

                window.Field(p.FieldIndex).Add(ts, p.Value);
                values++;
            }

            if (missed)
            {
                late++;
            }
        }

        Counters.AddValues(values);
        Counters.AddNonNumeric(ignored);
        if (late > 0)
        {
            // A re-read record's points behind the checkpoint were counted by whoever read it first (in a written
            // window, or as late then): counting them as late again would report data loss that did not happen.
            if (replayed)
            {
                Counters.AddReplayed(late);
            }
            else
            {
                Counters.AddLate(late);
            }
        }

        if (lateUpdates > 0)
        {
            Counters.AddLateUpdates(lateUpdates);
        }

        return (maxEventNs, latestWindowEnd);
    }

    /// <summary>Grows the flat per-series arrays to cover <paramref name="series"/> and records its field count.</summary>
    private void Track(SeriesState series)
    {
        if (series.Id >= _fieldCounts.Length)
        {
            var length = Math.Max(series.Id + 1, _fieldCounts.Length * 2);
            Array.Resize(ref _fieldCounts, length);
            Array.Resize(ref _firstFieldKeys, length);
            Array.Resize(ref _current, length * _sizesNs.Length);
        }

        _fieldCounts[series.Id] = series.FieldCount;
        _firstFieldKeys[series.Id] = series.FieldCount > 0 ? series.FieldKey(0) : null;
    }

    private void CountRejection(SeriesRejection rejection)
    {
        Counters.AddSeriesRejected(1);
        if (rejection == SeriesRejection.MeasurementLimit)
        {
            Counters.AddMeasurementSeriesRejected(1);
        }

        if (RejectionLog is { } log && _rejectionsLogged++ % 10_000 == 0)
        {
            var why = rejection == SeriesRejection.MeasurementLimit
                ? $"its measurement already has {_options.MaxSeriesPerMeasurement} series (Analytics:Windows:MaxSeriesPerMeasurement)"
                : $"{_options.MaxSeries} series are tracked already (Analytics:Windows:MaxSeries)";
            log($"Refused a new series because {why}; {Counters.SeriesRejected} points of new series refused so far.");
        }
    }

    private void ApplyAssignments()
    {
        while (_assignments.TryDequeue(out var change))
        {
            if (change.Assigned)
            {
                _watermark.Assign(change.Topic, change.Partition);
            }
            else
            {
                ForgetPartition(change.Topic, change.Partition);
                _catchUp.Remove((change.Topic, change.Partition));
            }
        }

        // After the assignment changes: a revoke queued before a re-assignment must not cancel its catch-up.
        ApplyCatchUps();
    }

    private AggregateBatch CloseThrough(long targetNs, int maxWindows)
    {
        var target = Math.Max(targetNs, _closedThroughNs);
        var results = new List<WindowResult>();
        if (target > _closedThroughNs || _pendingWindows || CatchUpComplete(targetNs))
        {
            // Raising the cut-off first makes points for the windows still queued late, so a window never changes
            // between being cut off and being emitted in a later chunk.
            EndCatchUps(targetNs);
            _closedThroughNs = target;
            _pendingWindows = !_closer.CloseThrough(target, _retentionPolicies, results, maxWindows);
            Counters.AddWindowsClosed(results.Count);
            if (_pendingWindows)
            {
                return new AggregateBatch(results, [], _emittedThroughNs);
            }
        }

        var corrections = _closer.EmitCorrections(_retentionPolicies, results);
        Counters.AddCorrections(corrections);
        _closer.ReleaseRetained(target == long.MaxValue ? long.MaxValue : target - _horizonNs);
        var commits = ReleaseOffsets(target);
        _emittedThroughNs = target;
        return new AggregateBatch(results, commits, target);
    }

    internal static long FloorTo(long value, long size)
    {
        var q = value / size;
        if (value % size < 0)
        {
            q--;
        }

        return q * size;
    }
}
