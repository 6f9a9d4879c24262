using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetricsPipeline.Host.Bench;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline bench agent</c>: the host agent's overhead (issue 7: under 1 % of a core and 50 MB at a 10 s
/// interval). Starts the embedded broker in this process and <c>metrics-pipeline agent</c> as a child process sending
/// to it, waits out a warm-up, samples the child's VmRSS and Pss every few seconds and its CPU time over the whole
/// measurement, stops it with SIGTERM and reports the numbers (<see cref="AgentBenchResult"/>) together with the
/// agent's own count of batches sent, so a run in which the agent sent nothing is visible. Linux only.
/// </summary>
internal static partial class BenchAgentCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates the <c>agent</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Measured duration after the warm-up, in seconds.", DefaultValueFactory = _ => 300 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds to let the agent start before measuring.", DefaultValueFactory = _ => 30 };
        var interval = new Option<double>("--interval") { Description = "The agent's --interval in seconds.", DefaultValueFactory = _ => 10 };
        var sampleEvery = new Option<double>("--sample-every") { Description = "Seconds between memory samples.", DefaultValueFactory = _ => 5 };
        var noTuning = new Option<bool>("--no-tuning") { Description = $"Run the agent with the runtime's defaults ({AgentProcessTuning.SwitchVariable}=off)." };
        var output = new Option<string?>("--output") { Description = "Also write the result to this JSON file." };
        var command = new Command("agent", "Measure the host agent's resident memory (RSS, PSS) and CPU at its interval.");
        foreach (var option in new Option[] { seconds, warmup, interval, sampleEvery, noTuning, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!OperatingSystem.IsLinux())
            {
                Console.Error.WriteLine("bench agent reads /proc and runs on Linux only.");
                return 2;
            }

            // Said and refused, naming the option: a zero or negative value used to be raised silently to a minimum.
            static bool Positive(double v) => v > 0 && double.IsFinite(v);
            string? error = !Positive(parse.GetValue(seconds)) ? Says("--seconds must be positive", parse.GetValue(seconds))
                : !(parse.GetValue(warmup) >= 0) || double.IsInfinity(parse.GetValue(warmup)) ? Says("--warmup must be at least 0", parse.GetValue(warmup))
                : !Positive(parse.GetValue(interval)) ? Says("--interval must be positive", parse.GetValue(interval))
                : !Positive(parse.GetValue(sampleEvery)) ? Says("--sample-every must be positive", parse.GetValue(sampleEvery))
                : null;
            if (error is not null)
            {
                Console.Error.WriteLine($"error: {error}");
                return 2;
            }

            if (!BenchOutput.CanWrite(parse.GetValue(output)))
            {
                return 2;
            }

            var result = await RunAsync(
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(seconds))),
                TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(warmup))),
                Math.Max(0.1, parse.GetValue(interval)),
                TimeSpan.FromSeconds(Math.Max(0.2, parse.GetValue(sampleEvery))),
                !parse.GetValue(noTuning),
                ct).ConfigureAwait(false);
            var json = JsonSerializer.Serialize(result, Json);
            await BenchOutput.PrintAndWriteAsync(json, parse.GetValue(output), ct).ConfigureAwait(false);

            return result.BatchesSent > 0 ? 0 : 1;
        });
        return command;
    }

    private static string Says(string what, double value) => string.Create(CultureInfo.InvariantCulture, $"{what} (got {value}).");

    private static async Task<AgentBenchResult> RunAsync(TimeSpan duration, TimeSpan warmup, double interval, TimeSpan sampleEvery, bool tuned, CancellationToken ct)
    {
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaBrokerOptions { DefaultPartitions = 1 });
        broker.CreateTopic("metrics");
        var bufferDirectory = Path.Combine(Path.GetTempPath(), $"mp-bench-agent-{Guid.NewGuid():N}");
        var info = AgentStartInfo(broker.BootstrapServers, interval, bufferDirectory);
        info.Environment[AgentProcessTuning.SwitchVariable] = tuned ? "on" : "off";
        using var agent = Process.Start(info) ?? throw new InvalidOperationException("Could not start the agent.");
        var stdout = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("agent: every", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        agent.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"agent: {e.Data}");
            }
        };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        agent.StandardInput.Close();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            await Task.Delay(warmup, ct).ConfigureAwait(false);
            var rss = new List<double>();
            var pss = new List<double>();
            var cpuStart = ProcessProbe.CpuTime(agent.Id);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                rss.Add(ProcessProbe.ResidentBytes(agent.Id) / 1e6);
                pss.Add(ProcessProbe.ProportionalBytes(agent.Id) / 1e6);
                await Task.Delay(sampleEvery, ct).ConfigureAwait(false);
            }

            var cpu = ProcessProbe.CpuTime(agent.Id) - cpuStart;
            var wall = clock.Elapsed;
            var threads = ProcessProbe.Threads(agent.Id);
            ProcessProbe.Terminate(agent.Id);
            await agent.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            agent.WaitForExit(); // flushes the asynchronous output readers
            var summary = AgentSummary().Match(stdout.ToString());
            return new AgentBenchResult(
                Math.Round(BenchStatistics.Median(rss), 1),
                Math.Round(rss.Max(), 1),
                Math.Round(BenchStatistics.Median(pss), 1),
                Math.Round(pss.Max(), 1),
                Math.Round(cpu / wall * 100, 3),
                rss.Count,
                Math.Round(wall.TotalSeconds, 1),
                interval,
                tuned,
                threads,
                summary.Success ? long.Parse(summary.Groups["lines"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                summary.Success ? long.Parse(summary.Groups["batches"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }

            try
            {
                Directory.Delete(bufferDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless.
            }
        }
    }

    /// <summary>
    /// Starts this same program as <c>agent</c>: /proc/self/cmdline up to <c>bench</c> is how it was started (the
    /// apphost, or <c>dotnet metrics-pipeline.dll</c>), /proc/self/exe the binary behind it.
    /// </summary>
    private static ProcessStartInfo AgentStartInfo(string bootstrapServers, double interval, string bufferDirectory)
    {
        var argv = Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")).TrimEnd('\0').Split('\0');
        var bench = Array.IndexOf(argv, "bench");
        var info = new ProcessStartInfo(new FileInfo("/proc/self/exe").LinkTarget ?? "/proc/self/exe")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv[1..(bench < 0 ? 1 : bench)])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in new[] { "agent", "--bootstrap-servers", bootstrapServers, "--interval", interval.ToString(System.Globalization.CultureInfo.InvariantCulture), "--buffer-dir", bufferDirectory, "--host", "bench-agent" })
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    [GeneratedRegex(@"agent: (?<lines>\d+) lines collected, (?<batches>\d+) batches sent")]
    private static partial Regex AgentSummary();
}
