using System.Runtime.InteropServices;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// The calling thread's own CPU time (Linux) for the thread-CPU measurements
/// (<see cref="AnomalyCpuCost"/>, <see cref="SsaCpuCost"/>), and the median they report.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>The median of the values (sorts them in place).</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>
    /// CPU time of the calling thread, in nanoseconds: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, which counts to the
    /// nanosecond (<c>getrusage(RUSAGE_THREAD)</c> here moves in 4 ms ticks, coarser than one training run).
    /// </summary>
    public static long Nanoseconds()
    {
        // CLOCK_THREAD_CPUTIME_ID = 3.
        if (GetClockTime(3, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int GetClockTime(int clock, out TimeSpec time);

    // struct timespec on Linux x64: seconds and nanoseconds as longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
