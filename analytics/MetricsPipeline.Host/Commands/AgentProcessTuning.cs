using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// Keeps the host agent small (issue 7: under 50 MB resident at a 10 s interval). The runtime's GC and JIT settings
/// can only be chosen before the runtime starts and <c>metrics-pipeline</c> also runs the analytics, which wants the
/// defaults, so <c>agent</c> re-executes itself (execve: same PID, same arguments, same stdio) once with the
/// variables of <see cref="Variables"/> added, unless they are all set already or
/// <c>METRICS_PIPELINE_AGENT_TUNING=off</c>. A variable the user set is never overridden. After start-up the agent
/// calls <see cref="Trim"/> to hand back what start-up used and no longer needs.
/// </summary>
internal static partial class AgentProcessTuning
{
    /// <summary>Set in the re-executed process, so it does not re-execute again.</summary>
    public const string MarkerVariable = "METRICS_PIPELINE_AGENT_TUNED";

    /// <summary><c>off</c> (or <c>0</c>/<c>false</c>) runs the agent with the runtime's defaults.</summary>
    public const string SwitchVariable = "METRICS_PIPELINE_AGENT_TUNING";

    /// <summary>
    /// The settings, each measured with <c>bench agent</c> (see the README). Why each one:
    /// non-concurrent GC: no background GC thread, and a gen2 GC of a heap this small blocks for well under a
    /// millisecond; a 1 MiB gen0 budget: the agent allocates a few hundred KiB per collection, so the default budget
    /// (sized from the L3 cache) only grows the heap; no tiered compilation: every method is compiled once, fully
    /// optimised (precompiled framework code is still used), instead of a quick version, call counters and a
    /// background re-compilation minutes later that grows the code and JIT memory while the agent runs (measured:
    /// 45.6 MB instead of 49.3 MB, and less CPU, not more); one malloc arena: the runtime, the JIT and librdkafka
    /// allocate from several threads, and an arena per thread keeps freed memory that the others cannot reuse.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Variables { get; } =
    [
        new("DOTNET_gcConcurrent", "0"),
        new("DOTNET_GCgen0size", "0x100000"),
        new("DOTNET_TieredCompilation", "0"),
        new("MALLOC_ARENA_MAX", "1"),
    ];

    /// <summary>Whether this process was re-executed with <see cref="Variables"/>.</summary>
    public static bool IsTuned => Environment.GetEnvironmentVariable(MarkerVariable) == "1";

    /// <summary>
    /// Re-executes the process with <see cref="Variables"/> added when that is possible and wanted; on success it does
    /// not return. Returns (and the agent runs untuned) when tuning is switched off, already done, not on Linux, or
    /// execve fails.
    /// </summary>
    public static void ReexecuteIfNeeded()
    {
        var wanted = Environment.GetEnvironmentVariable(SwitchVariable);
        if (IsTuned || !OperatingSystem.IsLinux() || wanted is "off" or "0" or "false")
        {
            return;
        }

        string[] arguments;
        try
        {
            // /proc/self/cmdline is the argv this process got, whether started as the apphost or as `dotnet x.dll`.
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            arguments = Encoding.UTF8.GetString(cmdline).TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{entry.Key}={entry.Value}");
        }

        foreach (var (name, value) in Variables)
        {
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                environment.Add($"{name}={value}");
            }
        }

        environment.Add($"{MarkerVariable}=1");
        Console.Out.Flush();
        Console.Error.Flush();
        Execute("/proc/self/exe", arguments, environment);
    }

    /// <summary>
    /// Returns memory start-up used and the steady state does not need: a compacting GC that decommits free regions,
    /// then <c>malloc_trim</c>, which gives the free pages inside glibc's heap (the JIT's scratch memory among them)
    /// back to the kernel. Cheap (well under a millisecond on the agent's heap); never throws.
    /// </summary>
    public static void Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = MallocTrim(0);
            }
            catch (DllNotFoundException)
            {
                // Not glibc (e.g. musl): nothing to trim.
            }
            catch (EntryPointNotFoundException)
            {
            }
        }
    }

    private static unsafe void Execute(string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment)
    {
        var argv = new IntPtr[arguments.Count + 1];
        var envp = new IntPtr[environment.Count + 1];
        var pathPointer = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            for (var i = 0; i < environment.Count; i++)
            {
                envp[i] = Marshal.StringToCoTaskMemUTF8(environment[i]);
            }

            fixed (IntPtr* a = argv)
            fixed (IntPtr* e = envp)
            {
                // Returns only on failure; the agent then simply runs untuned.
                _ = ExecVe((byte*)pathPointer, a, e);
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(pathPointer);
            foreach (var pointer in argv.Concat(envp))
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "execve", SetLastError = true)]
    private static unsafe partial int ExecVe(byte* path, IntPtr* argv, IntPtr* envp);

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
