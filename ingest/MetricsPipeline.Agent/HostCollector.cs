using System.Globalization;
using MetricsPipeline.Ingest.Model;
using static MetricsPipeline.Agent.PointBuilder;

namespace MetricsPipeline.Agent;

/// <summary>
/// Reads Linux <c>/proc</c> and <c>/sys</c> (unprivileged) and returns one collection of points: CPU per core and
/// total by mode (percent of the interval), memory, swap, load, processes, disk I/O rates, disk space per mount,
/// network rates per interface, and per-process CPU/RSS/threads for the configured process names. Counters become
/// rates from the second collection on. Missing or unreadable files skip their metrics; nothing throws.
/// Not thread-safe: one agent loop calls <see cref="Collect"/>.
/// </summary>
public sealed partial class HostCollector
{
    /// <summary>Clock ticks per second of <c>/proc</c> CPU times (USER_HZ, 100 on every mainstream Linux build).</summary>
    public const double TicksPerSecond = 100;

    private static readonly string[] CpuModes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"];
    private readonly HostAgentOptions options;
    private readonly RateTracker rates = new();
    private readonly (string, string) hostTag;

    /// <summary>Creates a collector reading under <see cref="HostAgentOptions.Root"/>.</summary>
    public HostCollector(HostAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        hostTag = ("host", options.HostName);
    }

    private string Proc(string relative) => Path.Combine(options.Root, "proc", relative);

    private string Sys(string relative) => Path.Combine(options.Root, "sys", relative);

    /// <summary>Collects every metric at <paramref name="timestampNs"/> (Unix ns).</summary>
    public List<MetricPoint> Collect(long timestampNs)
    {
        var points = new List<MetricPoint>();
        Safely(CollectCpu, points, timestampNs);
        Safely(CollectMemory, points, timestampNs);
        Safely(CollectLoad, points, timestampNs);
        Safely(CollectDiskIo, points, timestampNs);
        Safely(CollectDiskSpace, points, timestampNs);
        Safely(CollectNetwork, points, timestampNs);
        Safely(CollectProcesses, points, timestampNs);
        return points;
    }

    /// <summary>Collection failures (a kernel with an unexpected file layout) so far; each skips one area once.</summary>
    public long Failures { get; private set; }

    private void Safely(Action<List<MetricPoint>, long> collect, List<MetricPoint> points, long timestampNs)
    {
        var before = points.Count;
        try
        {
            collect(points, timestampNs);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            points.RemoveRange(before, points.Count - before);
            Failures++;
        }
    }

    private void CollectCpu(List<MetricPoint> points, long ts)
    {
        var stat = ReadText(Proc("stat"));
        if (stat is null)
        {
            return;
        }

        foreach (var line in stat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var cpu = parts[0] == "cpu" ? "cpu-total" : parts[0];
            var values = parts.Skip(1).Take(CpuModes.Length).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            var deltas = new double[values.Length];
            var complete = true;
            for (var i = 0; i < values.Length; i++)
            {
                complete &= rates.TryDelta($"cpu/{cpu}/{CpuModes[i]}", values[i], out deltas[i]);
            }

            var total = deltas.Sum();
            if (!complete || total <= 0)
            {
                continue;
            }

            var fields = CpuModes.Take(values.Length).Select((mode, i) => ("usage_" + mode, F(100 * deltas[i] / total))).ToList();
            fields.Add(("usage_active", F(100 * (total - deltas[3] - (deltas.Length > 4 ? deltas[4] : 0)) / total)));
            points.Add(Point("cpu", [hostTag, ("cpu", cpu)], fields, ts));
        }
    }

    private void CollectMemory(List<MetricPoint> points, long ts)
    {
        var text = ReadText(Proc("meminfo"));
        if (text is null)
        {
            return;
        }

        var kb = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var value))
            {
                kb[parts[0]] = value * 1024;
            }
        }

        long Get(string key) => kb.GetValueOrDefault(key);
        var total = Get("MemTotal");
        if (total > 0)
        {
            var available = kb.TryGetValue("MemAvailable", out var a) ? a : Get("MemFree") + Get("Buffers") + Get("Cached");
            points.Add(Point("mem", [hostTag],
            [
                ("total", I(total)), ("available", I(available)), ("used", I(total - available)), ("free", I(Get("MemFree"))),
                ("buffered", I(Get("Buffers"))), ("cached", I(Get("Cached"))), ("used_percent", F(100.0 * (total - available) / total)),
            ], ts));
        }

        var swapTotal = Get("SwapTotal");
        var swapFree = Get("SwapFree");
        points.Add(Point("swap", [hostTag],
        [
            ("total", I(swapTotal)), ("free", I(swapFree)), ("used", I(swapTotal - swapFree)),
            ("used_percent", F(swapTotal > 0 ? 100.0 * (swapTotal - swapFree) / swapTotal : 0)),
        ], ts));
    }

    private void CollectLoad(List<MetricPoint> points, long ts)
    {
        var text = ReadText(Proc("loadavg"));
        var parts = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: >= 4 })
        {
            return;
        }

        var running = parts[3].Split('/');
        var cpus = Directory.Exists(Sys("devices/system/cpu"))
            ? Directory.GetDirectories(Sys("devices/system/cpu"), "cpu*").Count(d => char.IsDigit(d[^1]))
            : Environment.ProcessorCount;
        points.Add(Point("system", [hostTag],
        [
            ("load1", F(double.Parse(parts[0], CultureInfo.InvariantCulture))),
            ("load5", F(double.Parse(parts[1], CultureInfo.InvariantCulture))),
            ("load15", F(double.Parse(parts[2], CultureInfo.InvariantCulture))),
            ("n_cpus", I(cpus)),
        ], ts));
        points.Add(Point("processes", [hostTag],
        [
            ("running", I(long.Parse(running[0], CultureInfo.InvariantCulture))),
            ("total", I(long.Parse(running[1], CultureInfo.InvariantCulture))),
        ], ts));
    }
}
