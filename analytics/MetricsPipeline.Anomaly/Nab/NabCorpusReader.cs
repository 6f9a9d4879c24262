using System.Globalization;
using System.Text.Json;
using MetricsPipeline.Ingest.Csv;

namespace MetricsPipeline.Anomaly.Nab;

/// <summary>Reads a corpus in NAB's layout: <c>category/file.csv</c> files (timestamp,value) and a <c>windows.json</c>.</summary>
public static class NabCorpusReader
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.ffffff"];

    /// <summary>Reads every CSV under <paramref name="root"/> (sorted by relative path) with its windows.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">windows.json is missing or a file or window cannot be parsed.</exception>
    public static IReadOnlyList<NabFile> Read(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"NAB data directory '{root}' does not exist.");
        }

        var windowsPath = Path.Combine(root, "windows.json");
        if (!File.Exists(windowsPath))
        {
            throw new InvalidDataException($"'{windowsPath}' is missing (NAB's combined_windows.json).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(windowsPath));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"'{windowsPath}' must be an object: each CSV's relative path to its list of [\"start\", \"end\"] windows.");
        }

        var paths = Directory.EnumerateFiles(root, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var names = paths.Select(p => Path.GetRelativePath(root, p).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            // A misspelt (or differently cased) name used to drop its windows silently: its file was scored with none.
            if (!names.Contains(property.Name))
            {
                throw new InvalidDataException($"'{windowsPath}' has windows for '{property.Name}', which is no CSV file of the corpus under '{root}'.");
            }
        }

        var files = new List<NabFile>();
        foreach (var path in paths)
        {
            var name = Path.GetRelativePath(root, path).Replace('\\', '/');
            var (timestamps, values) = ReadSeries(path);
            var windows = new List<NabWindow>();
            if (document.RootElement.TryGetProperty(name, out var list))
            {
                // Shapes other than a list of two-string lists used to escape as InvalidOperationException or
                // IndexOutOfRangeException, an unhandled stack trace from the nab command.
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidDataException($"'{windowsPath}': the windows of '{name}' are not a list of [\"start\", \"end\"].");
                }

                var index = new Dictionary<DateTime, int>(timestamps.Count);
                for (var i = 0; i < timestamps.Count; i++)
                {
                    index.TryAdd(timestamps[i], i);
                }

                foreach (var window in list.EnumerateArray())
                {
                    if (window.ValueKind != JsonValueKind.Array || window.GetArrayLength() != 2 || window[0].ValueKind != JsonValueKind.String || window[1].ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidDataException($"'{windowsPath}': a window of '{name}' is not [\"start\", \"end\"] (got {window.GetRawText()}).");
                    }

                    var start = ParseTimestamp(window[0].GetString() ?? string.Empty, windowsPath);
                    var end = ParseTimestamp(window[1].GetString() ?? string.Empty, windowsPath);
                    if (!index.TryGetValue(start, out var l) || !index.TryGetValue(end, out var r))
                    {
                        throw new InvalidDataException($"A window of '{name}' does not match any row timestamp exactly.");
                    }

                    windows.Add(new NabWindow(l, r));
                }
            }

            windows.Sort((a, b) => a.Start.CompareTo(b.Start));
            files.Add(new NabFile(name, timestamps, values, windows));
        }

        return files;
    }

    /// <summary>
    /// Reads a <c>timestamp,value</c> CSV with a header row; columns after the second are ignored. Fields are read as
    /// RFC 4180 writes them (<see cref="CsvRecords"/>, the reader of the <c>detect</c> and <c>forecast</c> inputs): a quoted
    /// timestamp or value reads as its text.
    /// </summary>
    /// <exception cref="InvalidDataException">A row cannot be parsed or a quote is malformed (the message names the line).</exception>
    public static (List<DateTime> Timestamps, double[] Values) ReadSeries(string path)
    {
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var first = true;
        using var reader = new StreamReader(path);
        foreach (var (fields, lineNumber, _) in CsvRecords.Read(reader, path))
        {
            if (first)
            {
                first = false;
                continue; // the header row
            }

            // A line used to be split at its first comma: a quoted timestamp did not parse, and a third column (a label)
            // made the value unreadable.
            if (fields.Length < 2 || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'timestamp,value'.");
            }

            timestamps.Add(ParseTimestamp(fields[0], $"{path}:{lineNumber}"));
            values.Add(value);
        }

        return (timestamps, values.ToArray());
    }

    private static DateTime ParseTimestamp(string text, string where)
    {
        if (DateTime.TryParseExact(text.Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }

        throw new InvalidDataException($"{where}: cannot parse timestamp '{text}'.");
    }
}
