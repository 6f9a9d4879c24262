using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.History;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>
/// Records every closed window as Arrow IPC history for the retraining job (<see cref="WindowHistoryWriter"/>:
/// hourly files per resolution, schema in <see cref="WindowHistorySchema"/>). Writes files; returns no points.
/// </summary>
public sealed class WindowHistoryStage : IWindowStage, IAsyncDisposable
{
    private readonly WindowHistoryWriter _writer;
    private readonly HashSet<string>? _windows;
    private readonly WindowRecords _records = new();

    /// <summary>Creates the stage.</summary>
    /// <param name="options">Where to write and which resolutions.</param>
    /// <param name="quantiles">The configured quantiles (they name the quantile columns).</param>
    public WindowHistoryStage(WindowHistoryOptions options, IEnumerable<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Directory);
        _writer = new WindowHistoryWriter(options.Directory, quantiles.Select(WindowOptions.FormatQuantile).ToList());
        _windows = options.Windows.Count == 0 ? null : options.Windows.ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public string Name => "history";

    /// <summary>Rows written so far.</summary>
    public long RowsWritten => _writer.RowsWritten;

    /// <inheritdoc />
    public IReadOnlyList<MetricPoint> OnWindows(AggregateBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var rows = _records.From(batch.Windows, _windows is null ? null : (_, _, size) => _windows.Contains(size));
        _writer.Append(rows);
        return [];
    }

    /// <summary>Ends the open files. Never throws.</summary>
    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
