using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>
/// One <c>metrics-pipeline</c> child process (broker, fleet or run) with every stream redirected, its output kept,
/// and a kill in <see cref="DisposeAsync"/> so no scenario leaves a process behind.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly StringBuilder output = new();

    private ChildProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything the process wrote (stdout and stderr interleaved), for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (lines)
            {
                return output.ToString();
            }
        }
    }

    public static ChildProcess Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "metrics-pipeline.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Colour codes would break the log greps.
        info.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for a line matching <paramref name="predicate"/> and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        while (true)
        {
            lock (lines)
            {
                var found = lines.FirstOrDefault(predicate);
                if (found is not null)
                {
                    return found;
                }
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before printing the expected line:\n{Output}");
            }

            try
            {
                await Task.Delay(50, limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} did not print the expected line within {timeout}:\n{Output}");
            }
        }
    }

    public async Task WriteLineAsync(string line)
    {
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await process.WaitForExitAsync(ct).WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not exit within {timeout}:\n{Output}");
        }

        process.WaitForExit(); // drains the asynchronous readers
        return process.ExitCode;
    }

    /// <summary>SIGTERM (a graceful stop: flush and commit), then waits; kills it if it does not exit in time.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (!process.HasExited)
        {
            _ = SendSignal(process.Id, SigTerm);
        }

        return await WaitForExitAsync(timeout, ct);
    }

    /// <summary><c>kill -9</c>: no flush, no commit, no leaving the group.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Resident set size from /proc, or 0 when the process has gone.</summary>
    public long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
            output.AppendLine($"[{Name}] {line}");
        }
    }
}
