using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MetricsPipeline.Testing;

/// <summary>
/// Ends a test process that has stopped making progress. A test module that hangs (a wait nobody completes, a dispose
/// that waits for fake time, a child process that never exits) would otherwise run until the CI budget is gone and
/// report nothing; instead, when no test has started or finished for the stall limit, this writes the tests still
/// running (and the last one that finished) to standard error and to a file under the temp directory, then fails the
/// process fast, so the runner reports the module as failed and the run goes on.
/// </summary>
/// <remarks>
/// The limit is <c>METRICSPIPELINE_TEST_STALL_SECONDS</c> (default 420 s): far above the longest test (about a
/// minute), far below the CI budget. Progress, not test duration, is watched, so a hang after the last test (a fixture
/// or process-exit hang) is caught too.
/// </remarks>
public static class TestWatchdog
{
    /// <summary>The environment variable that overrides the stall limit, in seconds.</summary>
    public const string StallSecondsVariable = "METRICSPIPELINE_TEST_STALL_SECONDS";

    private static readonly ConcurrentDictionary<string, (string Name, long Started)> Running = new(StringComparer.Ordinal);
    private static readonly TimeSpan StallLimit = ReadStallLimit();
    private static readonly Lock Gate = new();
    private static long _lastProgress = Stopwatch.GetTimestamp();
    private static string _lastFinished = "(none yet)";
    private static Timer? _timer;

    /// <summary>Records that a test started.</summary>
    public static void Started(string id, string name)
    {
        Running[id] = (name, Stopwatch.GetTimestamp());
        Progress();
        Arm();
    }

    /// <summary>Starts watching (idempotent); the stall clock starts now.</summary>
    public static void Arm()
    {
        lock (Gate)
        {
            if (_timer is null)
            {
                Progress();
                var period = TimeSpan.FromSeconds(Math.Clamp(StallLimit.TotalSeconds / 20, 1, 15));
                _timer = new Timer(static _ => Check(), null, period, period);
            }
        }
    }

    /// <summary>Records that a test finished (passed, failed or skipped).</summary>
    public static void Finished(string id, string name)
    {
        Running.TryRemove(id, out _);
        Volatile.Write(ref _lastFinished, name);
        Progress();
    }

    private static void Progress() => Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());

    private static void Check()
    {
        var stalled = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastProgress));
        if (stalled < StallLimit)
        {
            return;
        }

        var report = new StringBuilder();
        var assembly = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "test process";
        report.Append(CultureInfo.InvariantCulture, $"TEST WATCHDOG: {assembly} made no progress for {stalled.TotalSeconds:F0} s (limit {StallLimit.TotalSeconds:F0} s, {StallSecondsVariable}); ending the process.");
        report.AppendLine();
        if (Running.IsEmpty)
        {
            report.AppendLine("No test is running: the hang is outside the tests (a fixture's dispose or the process exit).");
        }

        foreach (var (name, started) in Running.Values.OrderBy(r => r.Started))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  still running after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s: {name}");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"  last finished: {Volatile.Read(ref _lastFinished)}");
        var text = report.ToString();
        Console.Error.WriteLine(text);
        try
        {
            File.WriteAllText(Path.Combine(Path.GetTempPath(), $"metricspipeline-test-hang-{assembly}-{Environment.ProcessId}.txt"), text);
        }
        catch (IOException)
        {
            // The message is on standard error already.
        }

        Environment.FailFast(text);
    }

    private static TimeSpan ReadStallLimit()
    {
        var raw = Environment.GetEnvironmentVariable(StallSecondsVariable);
        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(420);
    }
}
