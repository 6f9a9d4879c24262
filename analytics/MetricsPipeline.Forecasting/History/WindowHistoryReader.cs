using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace MetricsPipeline.Forecasting.History;

/// <summary>Reads the window history that <see cref="WindowHistoryWriter"/> wrote.</summary>
public static class WindowHistoryReader
{
    /// <summary>
    /// Reads every row of resolution <paramref name="window"/> (e.g. <c>1m</c>) under <paramref name="directory"/>,
    /// file by file in name (time) order. A file cut short by a crash yields the batches before the cut.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The resolution has no history directory.</exception>
    public static IEnumerable<WindowHistoryRecord> Read(string directory, string window)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(window);
        var dir = Path.Combine(directory, window);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"No window history for '{window}' under {directory} (expected {dir}).");
        }

        return Directory.EnumerateFiles(dir, "*.arrows").OrderBy(FileOrder).SelectMany(ReadFile);
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

    /// <summary>Reads one history file.</summary>
    public static IEnumerable<WindowHistoryRecord> ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new ArrowStreamReader(stream);
        while (true)
        {
            RecordBatch? batch;
            try
            {
                batch = reader.ReadNextRecordBatch();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                // A torn last batch (the writer died mid-write): keep what came before it.
                yield break;
            }

            if (batch is null)
            {
                yield break;
            }

            using (batch)
            {
                foreach (var record in Rows(batch))
                {
                    yield return record;
                }
            }
        }
    }

    private static List<WindowHistoryRecord> Rows(RecordBatch batch)
    {
        var schema = batch.Schema;
        var start = (TimestampArray)batch.Column("start");
        var window = (StringArray)batch.Column("window");
        var measurement = (StringArray)batch.Column("measurement");
        var tags = (StringArray)batch.Column("tags");
        var field = (StringArray)batch.Column("field");
        var count = (Int64Array)batch.Column("count");
        var sum = (DoubleArray)batch.Column("sum");
        var min = (DoubleArray)batch.Column("min");
        var max = (DoubleArray)batch.Column("max");
        var quantiles = new List<DoubleArray>();
        for (var i = WindowHistorySchema.FixedColumns.Count; i < schema.FieldsList.Count; i++)
        {
            quantiles.Add((DoubleArray)batch.Column(i));
        }

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

            var q = new double[quantiles.Count];
            for (var k = 0; k < q.Length; k++)
            {
                q[k] = quantiles[k].GetValue(i) ?? double.NaN;
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

    /// <summary>The quantile column names of a history file (the columns after the fixed ones).</summary>
    public static IReadOnlyList<string> QuantileNames(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new ArrowStreamReader(stream);
        return reader.Schema.FieldsList.Skip(WindowHistorySchema.FixedColumns.Count).Select(f => f.Name).ToList();
    }
}
