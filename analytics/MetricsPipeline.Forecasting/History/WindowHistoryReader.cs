using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace MetricsPipeline.Forecasting.History;

/// <summary>
/// Reads the window history that <see cref="WindowHistoryWriter"/> wrote. Columns are found by name, so a file whose
/// quantile columns come in another order (another <c>Analytics:Windows:Quantiles</c> order) reads correctly; a file of
/// an unknown <see cref="WindowHistorySchema.VersionKey"/> is refused, and a torn file is named, not silently cut.
/// </summary>
public static class WindowHistoryReader
{
    /// <summary>
    /// Reads every row of resolution <paramref name="window"/> (e.g. <c>1m</c>) under <paramref name="directory"/>,
    /// file by file in name (time) order, with the quantiles in the order of <paramref name="quantileNames"/> (matched
    /// to each file's columns by name; null: the first readable file's order). A file that cannot be read (empty, not
    /// Arrow, an unknown <see cref="WindowHistorySchema.VersionKey"/>, a missing fixed column) is skipped and named on
    /// <paramref name="notice"/>; a file cut short by a crash yields the rows before the cut and is named there too.
    /// </summary>
    /// <param name="directory">The history root.</param>
    /// <param name="window">The resolution's directory name.</param>
    /// <param name="quantileNames">The quantile column names the records carry, in this order; null for the first readable file's.</param>
    /// <param name="notice">Receives one line per skipped or torn file; null ignores them (the rows read are the same).</param>
    /// <exception cref="DirectoryNotFoundException">The resolution has no history directory.</exception>
    public static IEnumerable<WindowHistoryRecord> Read(string directory, string window, IReadOnlyList<string>? quantileNames = null, Action<string>? notice = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(window);
        var dir = Path.Combine(directory, window);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"No window history for '{window}' under {directory} (expected {dir}).");
        }

        return ReadFiles(Directory.EnumerateFiles(dir, "*.arrows").OrderBy(FileOrder).ToList(), quantileNames, notice);
    }

    /// <summary>True for the exceptions that mean a history file cannot be read (as opposed to a bug).</summary>
    public static bool IsUnreadable(Exception ex) =>
        ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or InvalidCastException or OverflowException;

    /// <summary>
    /// Reads one history file, its quantiles in the order of <paramref name="quantileNames"/> (null: the file's own
    /// order); a quantile the file lacks reads as NaN and is named on <paramref name="notice"/>. A torn last batch (the
    /// writer died mid-write) ends the file: the rows before it are returned and <paramref name="notice"/> names the
    /// file and how many rows were read. The file is opened and checked when this is called, not on the first row.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The file is empty, is not an Arrow stream, carries no or another <see cref="WindowHistorySchema.VersionKey"/>
    /// than <see cref="WindowHistorySchema.Version"/>, or lacks a fixed column (the message names the file).
    /// </exception>
    public static IEnumerable<WindowHistoryRecord> ReadFile(string path, IReadOnlyList<string>? quantileNames = null, Action<string>? notice = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (stream, reader, schema) = Open(path);
        try
        {
            return ReadRows(path, stream, reader, QuantileColumns(path, schema, quantileNames, notice), notice);
        }
        catch
        {
            reader.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Drops repeated rows (same window start, measurement, tags and field), keeping the last one read. Windows are
    /// written at least once: a pipeline that restarts from its last committed offsets closes some windows again.
    /// </summary>
    public static IEnumerable<WindowHistoryRecord> DistinctWindows(IEnumerable<WindowHistoryRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var latest = new Dictionary<(long, string, string, string, string), WindowHistoryRecord>();
        foreach (var row in rows)
        {
            latest[(row.StartNs, row.Window, row.Measurement, WindowHistorySchema.FormatTags(row.Tags), row.Field)] = row;
        }

        return latest.Values;
    }

    /// <summary>The quantile column names of a history file (its columns other than the fixed ones, in file order).</summary>
    /// <exception cref="InvalidDataException">The file is empty, not Arrow, or not a window history of a known version.</exception>
    public static IReadOnlyList<string> QuantileNames(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (stream, reader, schema) = Open(path);
        using (stream)
        using (reader)
        {
            return QuantileNames(schema);
        }
    }

    private static IEnumerable<WindowHistoryRecord> ReadFiles(List<string> files, IReadOnlyList<string>? quantileNames, Action<string>? notice)
    {
        var names = quantileNames;
        foreach (var file in files)
        {
            List<WindowHistoryRecord>? rows = null;
            try
            {
                names ??= QuantileNames(file);
                rows = ReadFile(file, names, notice).ToList();
            }
            catch (Exception ex) when (IsUnreadable(ex))
            {
                notice?.Invoke($"skipping unreadable history file {file}: {ex.Message}");
            }

            foreach (var row in rows ?? [])
            {
                yield return row;
            }
        }
    }

    /// <summary>Files sort by hour, then by restart number (<c>{hour}.arrows</c> before <c>{hour}-1.arrows</c>).</summary>
    private static (string Hour, int Restart) FileOrder(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        const int hourLength = 13; // yyyy-MM-ddTHH
        if (name.Length > hourLength + 1 && name[hourLength] == '-'
            && int.TryParse(name.AsSpan(hourLength + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var restart))
        {
            return (name[..hourLength], restart);
        }

        return (name, 0);
    }

    private static (FileStream Stream, ArrowStreamReader Reader, Schema Schema) Open(string path)
    {
        if (new FileInfo(path).Length == 0)
        {
            // The Arrow reader has no schema for an empty file (the pipeline died right after creating it).
            throw new InvalidDataException("the file is empty");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        ArrowStreamReader? reader = null;
        try
        {
            reader = new ArrowStreamReader(stream);
            return (stream, reader, CheckedSchema(path, reader.Schema));
        }
        catch
        {
            reader?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    private static IEnumerable<WindowHistoryRecord> ReadRows(string path, FileStream stream, ArrowStreamReader reader, int[] columns, Action<string>? notice)
    {
        using (stream)
        using (reader)
        {
            long read = 0;
            while (true)
            {
                RecordBatch? batch;
                try
                {
                    batch = reader.ReadNextRecordBatch();
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
                {
                    // A torn last batch (the writer died mid-write): keep what came before it, and say so.
                    notice?.Invoke(FormattableString.Invariant($"history file {path} is torn (its last batch is cut short: {ex.Message}); using the {read} rows before the cut"));
                    yield break;
                }

                if (batch is null)
                {
                    yield break;
                }

                using (batch)
                {
                    foreach (var record in Rows(batch, columns))
                    {
                        read++;
                        yield return record;
                    }
                }
            }
        }
    }

    /// <summary>The schema, refused unless it is a window history of the version this reader knows.</summary>
    private static Schema CheckedSchema(string path, Schema? schema)
    {
        if (schema is null)
        {
            throw new InvalidDataException($"{path} has no Arrow schema");
        }

        string? version = null;
        if (schema.Metadata is { } metadata && metadata.TryGetValue(WindowHistorySchema.VersionKey, out var v))
        {
            version = v;
        }

        if (version is null)
        {
            throw new InvalidDataException($"{path} has no {WindowHistorySchema.VersionKey} in its schema metadata: not a window-history file");
        }

        if (!string.Equals(version, WindowHistorySchema.Version, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path} has {WindowHistorySchema.VersionKey} '{version}', and this build reads only version '{WindowHistorySchema.Version}'");
        }

        foreach (var name in WindowHistorySchema.FixedColumns)
        {
            if (schema.GetFieldIndex(name) < 0)
            {
                throw new InvalidDataException($"{path} has no '{name}' column");
            }
        }

        return schema;
    }

    /// <summary>For each wanted quantile, the file's column index found by name (−1: the file lacks it).</summary>
    private static int[] QuantileColumns(string path, Schema schema, IReadOnlyList<string>? wanted, Action<string>? notice)
    {
        var own = QuantileNames(schema);
        var names = wanted ?? own;
        var columns = new int[names.Count];
        var missing = new List<string>();
        for (var k = 0; k < names.Count; k++)
        {
            columns[k] = own.Contains(names[k], StringComparer.Ordinal) ? schema.GetFieldIndex(names[k]) : -1;
            if (columns[k] < 0)
            {
                missing.Add(names[k]);
            }
        }

        if (missing.Count > 0)
        {
            notice?.Invoke($"history file {path} has no column {string.Join(", ", missing)}: those quantiles read as NaN");
        }

        return columns;
    }

    private static List<string> QuantileNames(Schema schema) =>
        schema.FieldsList.Select(f => f.Name).Where(n => !WindowHistorySchema.FixedColumns.Contains(n, StringComparer.Ordinal)).ToList();

    private static List<WindowHistoryRecord> Rows(RecordBatch batch, int[] columns)
    {
        var start = (TimestampArray)batch.Column("start");
        var window = (StringArray)batch.Column("window");
        var measurement = (StringArray)batch.Column("measurement");
        var tags = (StringArray)batch.Column("tags");
        var field = (StringArray)batch.Column("field");
        var count = (Int64Array)batch.Column("count");
        var sum = (DoubleArray)batch.Column("sum");
        var min = (DoubleArray)batch.Column("min");
        var max = (DoubleArray)batch.Column("max");
        var quantiles = columns.Select(c => c < 0 ? null : (DoubleArray)batch.Column(c)).ToArray();
        var rows = new List<WindowHistoryRecord>(batch.Length);
        var tagCache = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>();
        for (var i = 0; i < batch.Length; i++)
        {
            var tagText = tags.GetString(i) ?? string.Empty;
            if (!tagCache.TryGetValue(tagText, out var parsed))
            {
                parsed = WindowHistorySchema.ParseTags(tagText);
                tagCache[tagText] = parsed;
            }

            var q = new double[quantiles.Length];
            for (var k = 0; k < q.Length; k++)
            {
                q[k] = quantiles[k]?.GetValue(i) ?? double.NaN;
            }

            rows.Add(new WindowHistoryRecord(
                start.GetValue(i) ?? 0,
                window.GetString(i) ?? string.Empty,
                measurement.GetString(i) ?? string.Empty,
                parsed,
                field.GetString(i) ?? string.Empty,
                count.GetValue(i) ?? 0,
                sum.GetValue(i) ?? double.NaN,
                min.GetValue(i) ?? double.NaN,
                max.GetValue(i) ?? double.NaN,
                q));
        }

        return rows;
    }
}
