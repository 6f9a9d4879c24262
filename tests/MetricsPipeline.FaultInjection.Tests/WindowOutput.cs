using System.Globalization;
using System.Text;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// The window points a <c>run</c> wrote into line-protocol files, keyed by measurement, tags and window start.
/// A key written more than once (a window reprocessed after a crash) is kept once when every copy is identical and
/// reported in <see cref="Conflicts"/> otherwise.
/// </summary>
internal sealed class WindowOutput
{
    private WindowOutput(Dictionary<string, string> windows, List<string> conflicts, int lines)
    {
        Windows = windows;
        Conflicts = conflicts;
        Lines = lines;
    }

    /// <summary>Key (<c>measurement,tags timestamp</c>) → field set as written.</summary>
    public IReadOnlyDictionary<string, string> Windows { get; }

    /// <summary>Keys written more than once with different fields.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    /// <summary>Window lines in the files, duplicates included.</summary>
    public int Lines { get; }

    /// <summary>Lines written more than once.</summary>
    public int Duplicates => Lines - Windows.Count;

    /// <summary>Reads the <c>window</c>-tagged points of <paramref name="measurements"/> from every file under the directories.</summary>
    public static WindowOutput Read(IEnumerable<string> measurements, params string[] directories)
    {
        var wanted = measurements.ToHashSet(StringComparer.Ordinal);
        var windows = new Dictionary<string, string>(StringComparer.Ordinal);
        var conflicts = new List<string>();
        var lines = 0;
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.lp", SearchOption.AllDirectories))
            {
                var parsed = LineProtocolParser.Parse(File.ReadAllText(file));
                if (parsed.ErrorDescriptions.Count > 0)
                {
                    throw new InvalidDataException($"{file}: {string.Join("; ", parsed.ErrorDescriptions)}");
                }

                foreach (var point in parsed.Points.Where(p => wanted.Contains(p.Measurement) && p.Tags.Any(t => t.Key == "window")))
                {
                    lines++;
                    var key = $"{point.Measurement},{string.Join(',', point.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"))} {point.TimestampNs}";
                    var fields = string.Join(',', point.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={Format(f.Value)}"));
                    if (windows.TryGetValue(key, out var existing))
                    {
                        if (existing != fields)
                        {
                            conflicts.Add($"{key}\n  {existing}\n  {fields}");
                        }
                    }
                    else
                    {
                        windows[key] = fields;
                    }
                }
            }
        }

        return new WindowOutput(windows, conflicts, lines);
    }

    /// <summary>
    /// Points counted into windows of <paramref name="window"/> (e.g. <c>10s</c>) per measurement: each window
    /// point's largest <c>*_count</c> field (every point of a measurement carries the same fields).
    /// </summary>
    public Dictionary<string, long> CountedPoints(string window)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, fields) in Windows)
        {
            if (!key.Contains($",window={window} ", StringComparison.Ordinal) && !key.Contains($",window={window},", StringComparison.Ordinal))
            {
                continue;
            }

            var measurement = key[..key.IndexOf(',', StringComparison.Ordinal)];
            long max = 0;
            foreach (var field in fields.Split(','))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && field.AsSpan(0, eq).EndsWith("_count") && long.TryParse(field.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
                {
                    max = Math.Max(max, count);
                }
            }

            result[measurement] = result.GetValueOrDefault(measurement) + max;
        }

        return result;
    }

    /// <summary>The keys whose fields differ between two outputs (missing on either side included), at most <paramref name="limit"/>.</summary>
    public static List<string> Differences(WindowOutput expected, WindowOutput actual, int limit = 10)
    {
        var diffs = new List<string>();
        foreach (var (key, fields) in expected.Windows)
        {
            if (!actual.Windows.TryGetValue(key, out var other))
            {
                diffs.Add("missing: " + key);
            }
            else if (other != fields)
            {
                diffs.Add($"differs: {key}\n  expected {fields}\n  actual   {other}");
            }
        }

        diffs.AddRange(actual.Windows.Keys.Where(k => !expected.Windows.ContainsKey(k)).Select(k => "extra: " + k));
        return diffs.Take(limit).ToList();
    }

    private static string Format(FieldValue value)
    {
        var text = new StringBuilder();
        text.Append(value.TryGetNumber(out var number) ? number.ToString("R", CultureInfo.InvariantCulture) : value.ToString());
        return text.ToString();
    }
}
