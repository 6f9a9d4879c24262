using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace MetricsPipeline.Forecasting.History;

/// <summary>
/// Writes the window history as Apache Arrow IPC streams: one file per resolution and event-time hour,
/// <c>{directory}/{window}/{yyyy-MM-ddTHH}.arrows</c> (a restart within the same hour adds <c>-1</c>, <c>-2</c>, …),
/// one record batch per <see cref="Append"/>. The stream format (not the footer-terminated file format) keeps every
/// batch flushed so far readable even if the process dies before <see cref="Dispose"/>. Not thread-safe.
/// </summary>
public sealed class WindowHistoryWriter : IDisposable
{
    private readonly string _directory;
    private readonly IReadOnlyList<string> _quantileNames;
    private readonly Schema _schema;
    private readonly Dictionary<(string Window, long Hour), (FileStream File, ArrowStreamWriter Writer)> _open = [];
    private bool _disposed;

    /// <summary>Creates the writer; files are created on demand.</summary>
    /// <param name="directory">The history root.</param>
    /// <param name="quantileNames">Names of the quantile columns (e.g. <c>p50</c>), in the order of <see cref="WindowHistoryRecord.Quantiles"/>.</param>
    public WindowHistoryWriter(string directory, IReadOnlyList<string> quantileNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(quantileNames);
        _directory = directory;
        _quantileNames = quantileNames.ToArray();
        _schema = WindowHistorySchema.Create(_quantileNames);
    }

    /// <summary>Rows written so far.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Files created so far.</summary>
    public int FilesCreated { get; private set; }

    /// <summary>The file an hour of a resolution goes to first.</summary>
    public static string FileName(long startNs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(startNs / 1_000_000).UtcDateTime.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="records"/> (any mix of resolutions and hours); flushes before returning.</summary>
    public void Append(IReadOnlyList<WindowHistoryRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (records.Count == 0)
        {
            return;
        }

        foreach (var group in records.GroupBy(r => (r.Window, Hour: FloorHour(r.StartNs))))
        {
            var rows = group.ToList();
            var (file, writer) = Open(group.Key.Window, group.Key.Hour, rows[0].StartNs);
            writer.WriteRecordBatch(Build(rows));
            file.Flush();
            RowsWritten += rows.Count;
        }

        CloseOlderThanLatest();
    }

    /// <summary>Ends every open stream. Idempotent; never throws.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var key in _open.Keys.ToList())
        {
            Close(key);
        }
    }

    private (FileStream File, ArrowStreamWriter Writer) Open(string window, long hour, long startNs)
    {
        if (_open.TryGetValue((window, hour), out var open))
        {
            return open;
        }

        var dir = Path.Combine(_directory, window);
        Directory.CreateDirectory(dir);
        var baseName = FileName(startNs);
        var path = Path.Combine(dir, baseName + ".arrows");
        for (var n = 1; File.Exists(path); n++)
        {
            path = Path.Combine(dir, $"{baseName}-{n}.arrows");
        }

        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var writer = new ArrowStreamWriter(file, _schema, leaveOpen: true);
        FilesCreated++;
        open = (file, writer);
        _open[(window, hour)] = open;
        return open;
    }

    private void CloseOlderThanLatest()
    {
        // Windows close in event-time order, so once an hour has a later hour after it, it receives nothing more.
        foreach (var window in _open.Keys.Select(k => k.Window).Distinct().ToList())
        {
            var latest = _open.Keys.Where(k => k.Window == window).Max(k => k.Hour);
            foreach (var key in _open.Keys.Where(k => k.Window == window && k.Hour < latest).ToList())
            {
                Close(key);
            }
        }
    }

    private void Close((string Window, long Hour) key)
    {
        var (file, writer) = _open[key];
        _open.Remove(key);
        try
        {
            writer.WriteEnd();
        }
        catch (IOException)
        {
            // The batches already flushed stay readable; a missing end marker only loses nothing.
        }
        finally
        {
            writer.Dispose();
            file.Dispose();
        }
    }

    private RecordBatch Build(List<WindowHistoryRecord> rows)
    {
        var start = new TimestampArray.Builder((Apache.Arrow.Types.TimestampType)_schema.GetFieldByName("start").DataType);
        var window = new StringArray.Builder();
        var measurement = new StringArray.Builder();
        var tags = new StringArray.Builder();
        var field = new StringArray.Builder();
        var count = new Int64Array.Builder();
        var sum = new DoubleArray.Builder();
        var min = new DoubleArray.Builder();
        var max = new DoubleArray.Builder();
        var quantiles = _quantileNames.Select(_ => new DoubleArray.Builder()).ToArray();
        foreach (var row in rows)
        {
            start.Append(DateTimeOffset.UnixEpoch.AddTicks(row.StartNs / 100));
            window.Append(row.Window);
            measurement.Append(row.Measurement);
            tags.Append(WindowHistorySchema.FormatTags(row.Tags));
            field.Append(row.Field);
            count.Append(row.Count);
            sum.Append(row.Sum);
            min.Append(row.Min);
            max.Append(row.Max);
            for (var q = 0; q < quantiles.Length; q++)
            {
                quantiles[q].Append(q < row.Quantiles.Length ? row.Quantiles[q] : double.NaN);
            }
        }

        IArrowArray[] arrays =
        [
            start.Build(), window.Build(), measurement.Build(), tags.Build(), field.Build(),
            count.Build(), sum.Build(), min.Build(), max.Build(), .. quantiles.Select(b => (IArrowArray)b.Build()),
        ];
        return new RecordBatch(_schema, arrays, rows.Count);
    }

    private static long FloorHour(long ns)
    {
        const long hourNs = 3_600_000_000_000;
        var q = ns / hourNs;
        if (ns % hourNs < 0)
        {
            q--;
        }

        return q;
    }
}
