using System.Globalization;
using MetricsPipeline.Ingest.Model;
using static MetricsPipeline.Agent.PointBuilder;

namespace MetricsPipeline.Agent;

/// <summary>Per-process metrics (<c>procstat</c>), summed over the processes sharing a configured name.</summary>
public sealed partial class HostCollector
{
    // CPU ticks per pid at the last collection, and when that was. A name's CPU use is the sum of what each of its
    // processes used since then: summing the group's ticks and differencing the sums read a member's exit as a counter
    // reset (no cpu_percent that interval) or hid the others' use behind the ticks the exited member took with it.
    private Dictionary<int, double> processTicks = [];
    private long processTicksAt = long.MinValue;

    private void CollectProcesses(List<MetricPoint> points, long ts)
    {
        if (options.Processes.Count == 0 || !Directory.Exists(Proc(string.Empty)))
        {
            return;
        }

        var wanted = new HashSet<string>(options.Processes, StringComparer.Ordinal);
        var totals = new Dictionary<string, (int Count, double Ticks, long Rss, long Threads)>(StringComparer.Ordinal);
        var ticksNow = new Dictionary<int, double>();
        foreach (var directory in Directory.EnumerateDirectories(Proc(string.Empty)))
        {
            var pidText = Path.GetFileName(directory);
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
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

            // A pid not seen last time started since then (the last collection saw every process of these names), so
            // all its ticks fall in this interval; fewer ticks than last time means the pid was reused.
            ticksNow[pid] = ticks;
            var used = processTicks.TryGetValue(pid, out var before) && ticks >= before ? ticks - before : ticks;
            var t = totals.GetValueOrDefault(name);
            totals[name] = (t.Count + 1, t.Ticks + used, t.Rss + rss, t.Threads + threads);
        }

        var hadPrevious = processTicksAt != long.MinValue && ts > processTicksAt;
        var seconds = (ts - (double)processTicksAt) / 1e9;
        foreach (var name in options.Processes)
        {
            var t = totals.GetValueOrDefault(name);
            var fields = new List<(string, FieldValue)> { ("count", I(t.Count)), ("rss_bytes", I(t.Rss)), ("threads", I(t.Threads)) };
            if (t.Count > 0 && hadPrevious)
            {
                fields.Add(("cpu_percent", F(100 * t.Ticks / seconds / TicksPerSecond)));
            }

            points.Add(Point("procstat", [hostTag, ("process", name)], fields, ts));
        }

        processTicks = ticksNow;
        processTicksAt = ts;
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
