using System.Globalization;
using MetricsPipeline.Ingest.Model;
using static MetricsPipeline.Agent.PointBuilder;

namespace MetricsPipeline.Agent;

/// <summary>Disks and network interfaces.</summary>
public sealed partial class HostCollector
{
    private static readonly HashSet<string> PseudoFileSystems = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "pstore", "bpf", "debugfs", "tracefs",
        "mqueue", "hugetlbfs", "fusectl", "configfs", "autofs", "binfmt_misc", "nsfs", "rpc_pipefs", "squashfs", "efivarfs",
    };

    private void CollectDiskIo(List<MetricPoint> points, long ts)
    {
        var text = ReadText(Proc("diskstats"));
        if (text is null)
        {
            return;
        }

        foreach (var line in text.Split('\n'))
        {
            var p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length < 14 || p[2].StartsWith("loop", StringComparison.Ordinal) || p[2].StartsWith("ram", StringComparison.Ordinal))
            {
                continue;
            }

            var name = p[2];
            double V(int i) => double.Parse(p[i], CultureInfo.InvariantCulture);
            var fields = new List<(string, FieldValue)>();
            void Rate(string field, double value)
            {
                if (rates.TryRate($"disk/{name}/{field}", value, ts, out var r))
                {
                    fields.Add((field, F(r)));
                }
            }

            Rate("reads_per_second", V(3));
            Rate("read_bytes_per_second", V(5) * 512);
            Rate("writes_per_second", V(7));
            Rate("write_bytes_per_second", V(9) * 512);
            if (rates.TryRate($"disk/{name}/io_ms", V(12), ts, out var busyMsPerSecond))
            {
                fields.Add(("io_util_percent", F(Math.Min(100, busyMsPerSecond / 10))));
            }

            if (fields.Count > 0)
            {
                points.Add(Point("diskio", [hostTag, ("name", name)], fields, ts));
            }
        }
    }

    private void CollectDiskSpace(List<MetricPoint> points, long ts)
    {
        var text = ReadText(Proc("self/mounts"));
        if (text is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var p = line.Split(' ');
            if (p.Length < 3 || PseudoFileSystems.Contains(p[2]) || !seen.Add(p[1]))
            {
                continue;
            }

            var mount = p[1].Replace("\\040", " ", StringComparison.Ordinal);
            try
            {
                var drive = new DriveInfo(mount);
                var total = drive.TotalSize;
                if (total <= 0)
                {
                    continue;
                }

                var free = drive.AvailableFreeSpace;
                var used = total - drive.TotalFreeSpace;
                points.Add(Point("disk", [hostTag, ("path", mount), ("fstype", p[2])],
                [
                    ("total", I(total)), ("free", I(free)), ("used", I(used)),
                    ("used_percent", F(used + free > 0 ? 100.0 * used / (used + free) : 0)),
                ], ts));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Mounts the agent's user cannot stat are skipped.
            }
        }
    }

    private void CollectNetwork(List<MetricPoint> points, long ts)
    {
        var text = ReadText(Proc("net/dev"));
        if (text is null)
        {
            return;
        }

        foreach (var line in text.Split('\n').Skip(2))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var iface = line[..colon].Trim();
            var p = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length < 16 || iface == "lo")
            {
                continue;
            }

            double V(int i) => double.Parse(p[i], CultureInfo.InvariantCulture);
            var fields = new List<(string, FieldValue)>();
            void Rate(string field, double value)
            {
                if (rates.TryRate($"net/{iface}/{field}", value, ts, out var r))
                {
                    fields.Add((field, F(r)));
                }
            }

            Rate("bytes_recv_per_second", V(0));
            Rate("packets_recv_per_second", V(1));
            Rate("err_in_per_second", V(2));
            Rate("drop_in_per_second", V(3));
            Rate("bytes_sent_per_second", V(8));
            Rate("packets_sent_per_second", V(9));
            Rate("err_out_per_second", V(10));
            Rate("drop_out_per_second", V(11));
            var state = ReadText(Sys($"class/net/{iface}/operstate"))?.Trim();
            if (state is not null)
            {
                fields.Add(("up", I(state == "up" ? 1 : 0)));
            }

            if (fields.Count > 0)
            {
                points.Add(Point("net", [hostTag, ("interface", iface)], fields, ts));
            }
        }
    }
}
