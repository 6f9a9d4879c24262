using System.Globalization;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Host.Commands;

/// <summary>Reads another process's memory and CPU time from /proc (Linux only), and sends it signals.</summary>
internal static partial class ProcessProbe
{
    private const int SigTerm = 15;
    private const int ScClockTicks = 2;

    /// <summary>VmRSS in bytes (from <c>/proc/PID/status</c>).</summary>
    public static long ResidentBytes(int pid) => Kilobytes($"/proc/{pid}/status", "VmRSS:") * 1024;

    /// <summary>Pss in bytes (from <c>/proc/PID/smaps_rollup</c>).</summary>
    public static long ProportionalBytes(int pid) => Kilobytes($"/proc/{pid}/smaps_rollup", "Pss:") * 1024;

    /// <summary>The number of threads (from <c>/proc/PID/status</c>).</summary>
    public static int Threads(int pid) => (int)Kilobytes($"/proc/{pid}/status", "Threads:");

    /// <summary>User plus system CPU time of the process so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // The command name (field 2) may contain spaces and parentheses; every field after the last ')' is numeric.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var perSecond = SysConf(ScClockTicks);
        return TimeSpan.FromSeconds((double)ticks / (perSecond > 0 ? perSecond : 100));
    }

    /// <summary>
    /// Sends SIGTERM, the orderly stop the agent handles like Ctrl+C. Not SIGINT: a program started in the background
    /// by a non-interactive shell inherits SIGINT as ignored, and so do its children.
    /// </summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    private static long Kilobytes(string path, string key)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var value = line[key.Length..].Trim();
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidDataException($"{path} has no '{key}' line.");
    }

    [LibraryImport("libc.so.6", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc.so.6", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
