using System.Globalization;
using MetricsPipeline.Ingest.Model;
using static MetricsPipeline.Agent.PointBuilder;

namespace MetricsPipeline.Agent;

/// <summary>Per-process metrics (<c>procstat</c>), summed over the processes sharing a configured name.</summary>
public sealed partial class HostCollector
{
    private void CollectProcesses(List<MetricPoint> points, long ts)
    {
        if (options.Processes.Count == 0 || !Directory.Exists(Proc(string.Empty)))
        {
            return;
        }

        var wanted = new HashSet<string>(options.Processes, StringComparer.Ordinal);
        var totals = new Dictionary<string, (int Count, double Ticks, long Rss, long Threads)>(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(Proc(string.Empty)))
        {
            var pid = Path.GetFileName(directory);
            if (pid.Length == 0 || !char.IsDigit(pid[0]))
            {
                continue;
            }

            var name = ReadText(Path.Combine(directory, "comm"))?.Trim();
            if (name is null || !wanted.Contains(name))
            {
                continue;
            }

            var stat = ReadText(Path.Combine(directory, "stat"));
            var status = ReadText(Path.Combine(directory, "status"));
            if (stat is null || status is null)
            {
                continue;
            }

            // Fields after the parenthesised command (which may contain spaces): state is field 3, utime 14, stime 15.
            var after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = double.Parse(after[11], CultureInfo.InvariantCulture) + double.Parse(after[12], CultureInfo.InvariantCulture);
            var rss = StatusKb(status, "VmRSS:") * 1024;
            var threads = StatusKb(status, "Threads:");
            var t = totals.GetValueOrDefault(name);
            totals[name] = (t.Count + 1, t.Ticks + ticks, t.Rss + rss, t.Threads + threads);
        }

        foreach (var name in options.Processes)
        {
            var t = totals.GetValueOrDefault(name);
            var fields = new List<(string, FieldValue)> { ("count", I(t.Count)), ("rss_bytes", I(t.Rss)), ("threads", I(t.Threads)) };
            if (t.Count > 0 && rates.TryRate($"proc/{name}/ticks", t.Ticks, ts, out var ticksPerSecond))
            {
                fields.Add(("cpu_percent", F(100 * ticksPerSecond / TicksPerSecond)));
            }

            points.Add(Point("procstat", [hostTag, ("process", name)], fields, ts));
        }
    }

    private static long StatusKb(string status, string key)
    {
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var parts = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var v) ? v : 0;
            }
        }

        return 0;
    }
}
