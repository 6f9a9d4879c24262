using System.Runtime.InteropServices;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// The calling thread's own CPU time (<c>getrusage(RUSAGE_THREAD)</c>, Linux) for the thread-CPU measurements
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

    /// <summary>User + system CPU time of the calling thread, in nanoseconds.</summary>
    public static long Nanoseconds()
    {
        // RUSAGE_THREAD = 1: user + system time of the calling thread only.
        if (GetResourceUsage(1, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        return ((usage.UserSeconds + usage.SystemSeconds) * 1_000_000_000L) + ((usage.UserMicroseconds + usage.SystemMicroseconds) * 1000L);
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    // struct rusage on Linux x64: two struct timeval (seconds, microseconds as longs) followed by 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxResidentSet;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
