namespace MetricsPipeline.Analytics.Telemetry;

/// <summary>
/// The analytics stage's own counters. Names follow <c>pipeline_&lt;name&gt;_total</c> when exported. Increments are
/// atomic, so readers (the console view, the metrics endpoint) may read them from any thread.
/// </summary>
public sealed class PipelineCounters
{
    private long _messagesReceived;
    private long _pointsReceived;
    private long _valuesAggregated;
    private long _parseErrors;
    private long _latePoints;
    private long _nonNumericFields;
    private long _seriesRejected;
    private long _windowsClosed;
    private long _measurementSeriesRejected;
    private long _lateUpdates;
    private long _replayedPoints;
    private long _corrections;

    /// <summary><c>pipeline_messages_received_total</c>: source messages read.</summary>
    public long MessagesReceived => Volatile.Read(ref _messagesReceived);

    /// <summary><c>pipeline_points_received_total</c>: valid line-protocol points read.</summary>
    public long PointsReceived => Volatile.Read(ref _pointsReceived);

    /// <summary><c>pipeline_values_aggregated_total</c>: numeric field values added to windows (per resolution once).</summary>
    public long ValuesAggregated => Volatile.Read(ref _valuesAggregated);

    /// <summary><c>pipeline_parse_errors_total</c>: lines rejected by the parser (each sent to the dead-letter path).</summary>
    public long ParseErrors => Volatile.Read(ref _parseErrors);

    /// <summary><c>pipeline_late_points_total</c>: points whose window had already closed (beyond the grace).</summary>
    public long LatePoints => Volatile.Read(ref _latePoints);

    /// <summary><c>pipeline_non_numeric_fields_total</c>: string fields, which carry no number to aggregate.</summary>
    public long NonNumericFields => Volatile.Read(ref _nonNumericFields);

    /// <summary><c>pipeline_discarded_total{reason="series_limit"}</c>: points of new series refused by a cardinality limit (total or per measurement).</summary>
    public long SeriesRejected => Volatile.Read(ref _seriesRejected);

    /// <summary><c>pipeline_windows_closed_total</c>: windows closed and handed to the sinks.</summary>
    public long WindowsClosed => Volatile.Read(ref _windowsClosed);

    /// <summary>
    /// <c>pipeline_discarded_total{reason="measurement_series_limit"}</c>: points of new series refused because their
    /// measurement reached <c>MaxSeriesPerMeasurement</c> (also included in <see cref="SeriesRejected"/>).
    /// </summary>
    public long MeasurementSeriesRejected => Volatile.Read(ref _measurementSeriesRejected);

    /// <summary>
    /// <c>pipeline_replayed_points_total</c>: points of records re-read after a restart or takeover (below the read
    /// position of the checkpoint they resume from) whose windows that checkpoint had already closed. The previous
    /// owner counted each of them already, in a written window or as late, so they are neither late nor lost.
    /// </summary>
    public long ReplayedPoints => Volatile.Read(ref _replayedPoints);

    /// <summary><c>pipeline_late_updates_total</c>: late points that corrected an already-emitted window (opt-in path).</summary>
    public long LateUpdates => Volatile.Read(ref _lateUpdates);

    /// <summary><c>pipeline_window_corrections_total</c>: corrected windows emitted again by the late-update path.</summary>
    public long Corrections => Volatile.Read(ref _corrections);

    internal void AddMeasurementSeriesRejected(long n) => Interlocked.Add(ref _measurementSeriesRejected, n);

    internal void AddLateUpdates(long n) => Interlocked.Add(ref _lateUpdates, n);

    internal void AddCorrections(long n) => Interlocked.Add(ref _corrections, n);

    internal void AddMessages(long n) => Interlocked.Add(ref _messagesReceived, n);

    internal void AddPoints(long n) => Interlocked.Add(ref _pointsReceived, n);

    internal void AddValues(long n) => Interlocked.Add(ref _valuesAggregated, n);

    internal void AddParseErrors(long n) => Interlocked.Add(ref _parseErrors, n);

    internal void AddLate(long n) => Interlocked.Add(ref _latePoints, n);

    internal void AddReplayed(long n) => Interlocked.Add(ref _replayedPoints, n);

    internal void AddNonNumeric(long n) => Interlocked.Add(ref _nonNumericFields, n);

    internal void AddSeriesRejected(long n) => Interlocked.Add(ref _seriesRejected, n);

    internal void AddWindowsClosed(long n) => Interlocked.Add(ref _windowsClosed, n);
}
