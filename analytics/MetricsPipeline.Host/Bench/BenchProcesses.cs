using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MetricsPipeline.Host.Bench;

/// <summary>
/// Child processes of the multi-process benches (<c>bench soak</c>, <c>bench scale</c>): this same program started
/// as <c>broker</c>, <c>fleet</c> or <c>run</c>, every stream redirected, stopped with SIGTERM (then killed).
/// </summary>
internal static partial class BenchProcesses
{
    private const int SigTerm = 15;
    private static readonly double ClockTicksPerSecond = 100; // USER_HZ on Linux: /proc/PID/stat counts in these

    /// <summary>Starts this program with <paramref name="args"/>; <paramref name="drainOutput"/> discards stdout (a chatty child never blocks on a full pipe).</summary>
    public static Process StartSelf(IEnumerable<string> args, List<Process> children, bool drainOutput = false)
    {
        // Run as `dotnet metrics-pipeline.dll` or as the apphost: start the children the same way.
        var host = Environment.ProcessPath ?? "dotnet";
        var viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
        var list = viaDotnet ? args.Prepend(typeof(BenchProcesses).Assembly.Location).ToList() : args.ToList();
        var info = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in list)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {host}");
        children.Add(process);

        // stderr is always drained; stdout is read by whoever needs it, or drained.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        if (drainOutput)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }

        return process;
    }

    /// <summary>Reads stdout lines until one matches (then keeps draining the rest in the background).</summary>
    public static async Task<string> ReadLineAsync(Process process, Func<string, bool> predicate, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (predicate(line))
            {
                // Keep draining the rest (acknowledgements of down/up lines) in the background.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return line;
            }
        }

        throw new InvalidOperationException("the child process ended before printing the expected line");
    }

    /// <summary>SIGTERM, up to 10 s to exit, then kill. Never throws.</summary>
    public static void StopChild(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, SigTerm);
                if (!process.WaitForExit(10_000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The points and messages of the fleet's "sent N points in M messages" line; (-1, -1) when absent.</summary>
    public static (long Points, long Messages) ParseSent(string output)
    {
        var match = SentLine().Match(output);
        return match.Success
            ? (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : (-1, -1);
    }

    /// <summary>User + system CPU seconds a process has used so far (/proc/PID/stat); -1 when it cannot be read.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // Fields after the command name (which may contain spaces) start after the last ')'; utime and stime are
            // fields 14 and 15 of the line, i.e. the 12th and 13th after it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@"sent (\d+) points in (\d+) messages")]
    private static partial Regex SentLine();
}
