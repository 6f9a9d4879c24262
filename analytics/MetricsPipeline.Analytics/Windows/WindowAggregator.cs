using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// The event-time tumbling-window stage: parses line-protocol messages straight from bytes, adds every numeric
/// field value to the open window of its series at each configured resolution, and closes windows once the
/// watermark has passed their end plus the grace. Known series are found by their raw key bytes without
/// allocating. Not thread-safe: one instance is driven by one thread (the Rx pipeline serialises calls).
/// </summary>
public sealed class WindowAggregator
{
    private readonly WindowOptions _options;
    private readonly TimeProvider _time;
    private readonly long[] _sizesNs;
    private readonly long _graceNs;
    private readonly Dictionary<byte[], SeriesState> _series = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], SeriesState>.AlternateLookup<ReadOnlySpan<byte>> _seriesLookup;
    private readonly List<SeriesState> _seriesById = [];
    private readonly SortedDictionary<long, List<(SeriesState Series, OpenWindow Window)>>[] _closing;
    private readonly Stack<List<(SeriesState, OpenWindow)>> _spareLists = new();
    private readonly WatermarkTracker _watermark;
    private readonly OffsetTracker _offsets = new();
    private readonly double[] _quantileScratch;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(bool Assigned, string Topic, int Partition)> _assignments = new();
    private long _closedThroughNs = long.MinValue;

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
        _graceNs = options.Grace.Ticks * 100;
        _seriesLookup = _series.GetAlternateLookup<ReadOnlySpan<byte>>();
        _closing = new SortedDictionary<long, List<(SeriesState, OpenWindow)>>[_sizesNs.Length];
        for (var i = 0; i < _closing.Length; i++)
        {
            _closing[i] = new SortedDictionary<long, List<(SeriesState, OpenWindow)>>();
        }

        _watermark = new WatermarkTracker(options.IdleTimeout, _time);
        _quantileScratch = new double[options.Quantiles.Count];
    }

    /// <summary>The counters this stage updates.</summary>
    public PipelineCounters Counters { get; }

    /// <summary>The number of series currently known.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Every window ending at or before this event time (Unix ns) has been closed.</summary>
    public long ClosedThroughNs => _closedThroughNs;

    /// <summary>The number of source messages read whose offsets are not yet committable.</summary>
    public int PendingMessages => _offsets.PendingMessages;

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
    /// Reads one message: aggregates its valid points, and appends one dead letter per bad line to
    /// <paramref name="deadLetters"/> (the caller writes them before the message's offset can be committed).
    /// </summary>
    public void Process(in SourceMessage message, List<DeadLetter> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        ApplyAssignments();
        Counters.AddMessages(1);
        var payload = message.Payload.Span;
        var reader = new LineProtocolReader(payload);
        var nowNs = (_time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        long maxEventNs = long.MinValue;
        long latestWindowEnd = long.MinValue;
        long points = 0, values = 0, late = 0, errors = 0, nonNumeric = 0, rejected = 0;
        while (reader.MoveNext())
        {
            if (!reader.IsValid)
            {
                errors++;
                deadLetters.Add(reader.Error.ToDeadLetter(payload, $"{message.Topic}/{message.Partition}@{message.Offset}"));
                continue;
            }

            var line = reader.Current;
            var series = FindSeries(line);
            if (series is null)
            {
                rejected++;
                continue;
            }

            points++;
            var ts = line.HasTimestamp ? line.TimestampNs : nowNs;
            if (ts > maxEventNs)
            {
                maxEventNs = ts;
            }

            for (var r = 0; r < _sizesNs.Length; r++)
            {
                var size = _sizesNs[r];
                var start = FloorTo(ts, size);
                var end = start + size;
                if (end <= _closedThroughNs)
                {
                    late++;
                    continue;
                }

                if (end > latestWindowEnd)
                {
                    latestWindowEnd = end;
                }

                var window = OpenFor(series, r, start, end);
                foreach (var field in line.Fields)
                {
                    if (!field.TryGetNumber(out var value))
                    {
                        if (r == 0)
                        {
                            nonNumeric++;
                        }

                        continue;
                    }

                    var index = series.FieldIndex(field.KeyRaw);
                    window.Field(index).Add(value);
                    values++;
                }
            }
        }

        if (maxEventNs != long.MinValue)
        {
            _watermark.Observe(message.Topic, message.Partition, maxEventNs);
        }

        _offsets.Track(message.Topic, message.Partition, message.Offset, latestWindowEnd);
        Counters.AddPoints(points);
        Counters.AddValues(values);
        Counters.AddParseErrors(errors);
        Counters.AddNonNumeric(nonNumeric);
        Counters.AddSeriesRejected(rejected);
        // A point is late when it missed its window at every resolution; count points, not resolutions.
        if (late > 0)
        {
            Counters.AddLate(late / _sizesNs.Length + (late % _sizesNs.Length == 0 ? 0 : 1));
        }
    }

    /// <summary>Closes every window whose end plus the grace the watermark has passed.</summary>
    public AggregateBatch Advance()
    {
        ApplyAssignments();
        var watermark = _watermark.Current;
        if (watermark == long.MinValue)
        {
            return new AggregateBatch([], [], _closedThroughNs);
        }

        return CloseThrough(watermark - _graceNs);
    }

    /// <summary>Closes every open window (end of input or shutdown), making every read offset committable.</summary>
    public AggregateBatch Drain() => CloseThrough(long.MaxValue);

    /// <summary>Forgets a revoked partition's uncommitted offsets and watermark (its new owner re-reads them).</summary>
    public void ForgetPartition(string topic, int partition)
    {
        _offsets.Forget(topic, partition);
        _watermark.Remove(topic, partition);
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
            }
        }
    }

    private AggregateBatch CloseThrough(long targetNs)
    {
        if (targetNs <= _closedThroughNs)
        {
            return new AggregateBatch([], [], _closedThroughNs);
        }

        var results = new List<WindowResult>();
        for (var r = 0; r < _closing.Length; r++)
        {
            var queue = _closing[r];
            while (queue.Count > 0)
            {
                var first = queue.First();
                if (first.Key > targetNs)
                {
                    break;
                }

                queue.Remove(first.Key);
                foreach (var (series, window) in first.Value)
                {
                    results.Add(Close(series, window));
                }

                first.Value.Clear();
                _spareLists.Push(first.Value);
            }
        }

        _closedThroughNs = targetNs;
        Counters.AddWindowsClosed(results.Count);
        return new AggregateBatch(results, _offsets.Release(targetNs), targetNs);
    }

    private WindowResult Close(SeriesState series, OpenWindow window)
    {
        var fields = new List<WindowFieldStats>(series.FieldCount);
        for (var i = 0; i < series.FieldCount; i++)
        {
            var acc = window.PeekField(i);
            if (acc is null || acc.Count == 0)
            {
                continue;
            }

            acc.GetQuantiles(_options.Quantiles, _quantileScratch);
            fields.Add(new WindowFieldStats(series.FieldName(i), acc.Count, acc.Sum, acc.Min, acc.Max, _quantileScratch.ToArray()));
        }

        var result = new WindowResult(series.Id, series.Measurement, series.Tags, _options.Sizes[window.Resolution], window.StartNs, fields);
        series.Open[window.Resolution].Remove(window);
        window.Reset();
        series.Spare.Push(window);
        return result;
    }

    private OpenWindow OpenFor(SeriesState series, int resolution, long start, long end)
    {
        var list = series.Open[resolution];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].StartNs == start)
            {
                return list[i];
            }
        }

        var window = series.OpenWindowFor(resolution, start);
        var queue = _closing[resolution];
        if (!queue.TryGetValue(end, out var closingList))
        {
            closingList = _spareLists.Count > 0 ? _spareLists.Pop() : [];
            queue[end] = closingList;
        }

        closingList.Add((series, window));
        return window;
    }

    private SeriesState? FindSeries(ParsedLine line)
    {
        if (_seriesLookup.TryGetValue(line.SeriesKey, out var state))
        {
            return state;
        }

        if (_series.Count >= _options.MaxSeries)
        {
            return null;
        }

        // A new series: the one place that allocates (its names, once).
        var point = line.ToMetricPoint();
        var tags = point.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        state = new SeriesState(_seriesById.Count, point.Measurement, tags, _sizesNs.Length);
        _seriesById.Add(state);
        _seriesLookup[line.SeriesKey] = state;
        return state;
    }

    private static long FloorTo(long value, long size)
    {
        var q = value / size;
        if (value % size < 0)
        {
            q--;
        }

        return q * size;
    }
}
