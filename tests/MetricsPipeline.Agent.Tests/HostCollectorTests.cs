using MetricsPipeline.Agent;
using MetricsPipeline.Ingest.LineProtocol;
using Xunit;

namespace MetricsPipeline.Agent.Tests;

public sealed class HostCollectorTests
{
    [Fact]
    public void WhenCountersAdvanceThenTheSecondCollectionReportsCpuPercentAndRates()
    {
        using var proc = new FakeProc();
        proc.Write("proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0 0 0\nintr 1\n");
        proc.Write("proc/net/dev", "Inter-|\n face |\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n    lo: 5 5 0 0 0 0 0 0 5 5 0 0 0 0 0 0\n");
        proc.Write("proc/meminfo", "MemTotal: 1000 kB\nMemFree: 200 kB\nMemAvailable: 400 kB\nSwapTotal: 100 kB\nSwapFree: 100 kB\n");
        proc.Write("proc/loadavg", "0.50 0.25 0.10 2/300 1234\n");
        var collector = new HostCollector(new HostAgentOptions { Root = proc.Root, HostName = "h1" });
        var first = collector.Collect(1_000_000_000);
        Assert.DoesNotContain(first, p => p.Measurement is "cpu" or "net");

        proc.Write("proc/stat", "cpu  150 0 150 900 0 0 0 0 0 0\ncpu0 150 0 150 900 0 0 0 0 0 0\n");
        proc.Write("proc/net/dev", "Inter-|\n face |\n  eth0: 21000 30 0 0 0 0 0 0 4000 20 0 0 0 0 0 0\n    lo: 5 5 0 0 0 0 0 0 5 5 0 0 0 0 0 0\n");
        var second = collector.Collect(11_000_000_000);
        var lines = second.Select(p => LineProtocolWriter.ToLine(p).TrimEnd('\n')).ToList();
        Assert.Contains("cpu,cpu=cpu-total,host=h1 usage_user=25,usage_nice=0,usage_system=25,usage_idle=50,usage_iowait=0,usage_irq=0,usage_softirq=0,usage_steal=0,usage_active=50 11000000000", lines);
        Assert.Contains(lines, l => l.StartsWith("cpu,cpu=cpu0,host=h1 usage_user=25,", StringComparison.Ordinal));
        Assert.Contains("net,host=h1,interface=eth0 bytes_recv_per_second=2000,packets_recv_per_second=2,err_in_per_second=0,drop_in_per_second=0,bytes_sent_per_second=200,packets_sent_per_second=0,err_out_per_second=0,drop_out_per_second=0 11000000000", lines);
        Assert.DoesNotContain(lines, l => l.Contains("interface=lo", StringComparison.Ordinal));
        Assert.Contains("mem,host=h1 total=1024000i,available=409600i,used=614400i,free=204800i,buffered=0i,cached=0i,used_percent=60 11000000000", lines);
        Assert.Contains("swap,host=h1 total=102400i,free=102400i,used=0i,used_percent=0 11000000000", lines);
        Assert.Contains("processes,host=h1 running=2i,total=300i 11000000000", lines);
        Assert.Contains(lines, l => l.StartsWith("system,host=h1 load1=0.5,load5=0.25,load15=0.1,", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenOneProcessOfANameExitsThenCpuPercentIsWhatTheOthersUsedInTheInterval()
    {
        using var proc = new FakeProc();
        WriteProcess(proc, 100, "worker", utime: 40, stime: 10);
        WriteProcess(proc, 101, "worker", utime: 25, stime: 5);
        var options = new HostAgentOptions { Root = proc.Root, HostName = "h1" };
        options.Processes.Add("worker");
        var collector = new HostCollector(options);
        var first = Assert.Single(collector.Collect(1_000_000_000), p => p.Measurement == "procstat");
        Assert.DoesNotContain(first.Fields, f => f.Key == "cpu_percent");

        // In 10 s, pid 100 used 100 ticks, pid 101 exited (taking its 30 ticks with it) and pid 102 started and used 20:
        // 120 ticks in 10 s at 100 ticks per second is 12 %. Differencing the group's summed ticks (80, then 170) gave 9 %,
        // and no value at all whenever the exited process had used more than the rest gained.
        Directory.Delete(Path.Combine(proc.Root, "proc", "101"), recursive: true);
        WriteProcess(proc, 100, "worker", utime: 120, stime: 30);
        WriteProcess(proc, 102, "worker", utime: 15, stime: 5);
        var second = Assert.Single(collector.Collect(11_000_000_000), p => p.Measurement == "procstat");
        Assert.Equal(
            "procstat,host=h1,process=worker count=2i,rss_bytes=4096000i,threads=6i,cpu_percent=12 11000000000",
            LineProtocolWriter.ToLine(second).TrimEnd('\n'));

        // A process that used more than the rest gained since then leaves no gap either.
        Directory.Delete(Path.Combine(proc.Root, "proc", "100"), recursive: true);
        WriteProcess(proc, 102, "worker", utime: 25, stime: 5);
        var third = Assert.Single(collector.Collect(21_000_000_000), p => p.Measurement == "procstat");
        Assert.Equal(1, third.Fields.Single(f => f.Key == "cpu_percent").Value.AsDouble, 9);
    }

    private static void WriteProcess(FakeProc proc, int pid, string name, int utime, int stime)
    {
        Directory.CreateDirectory(Path.Combine(proc.Root, "proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        proc.Write($"proc/{pid}/comm", name + "\n");
        proc.Write($"proc/{pid}/stat", $"{pid} ({name}) S 1 1 1 0 -1 0 0 0 0 0 {utime} {stime} 0 0 20 0 3 0 100 0 0\n");
        proc.Write($"proc/{pid}/status", $"Name:\t{name}\nVmRSS:\t    2000 kB\nThreads:\t3\n");
    }

    [Fact]
    public void WhenACounterGoesBackwardsThenNoNegativeRateIsReported()
    {
        var rates = new RateTracker();
        Assert.False(rates.TryRate("k", 100, 0, out _));
        Assert.True(rates.TryRate("k", 200, 1_000_000_000, out var perSecond));
        Assert.Equal(100, perSecond);
        Assert.False(rates.TryRate("k", 50, 2_000_000_000, out _));
        Assert.True(rates.TryRate("k", 70, 4_000_000_000, out perSecond));
        Assert.Equal(10, perSecond);
    }

    [Fact]
    public void WhenAFileIsGarbageThenThatAreaIsSkippedAndTheRestCollected()
    {
        using var proc = new FakeProc();
        proc.Write("proc/loadavg", "x y z w\n");
        proc.Write("proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 400 kB\n");
        var collector = new HostCollector(new HostAgentOptions { Root = proc.Root, HostName = "h" });
        var points = collector.Collect(1);
        Assert.Contains(points, p => p.Measurement == "mem");
        Assert.DoesNotContain(points, p => p.Measurement == "system");
        Assert.Equal(1, collector.Failures);
    }

    [Fact]
    public void WhenTheRealProcIsReadThenEveryAreaIsReportedForThisMachineAndThisProcess()
    {
        if (!File.Exists("/proc/stat"))
        {
            Assert.Skip("Not Linux.");
        }

        var self = File.ReadAllText("/proc/self/comm").Trim();
        var options = new HostAgentOptions { HostName = "test" };
        options.Processes.Add(self);
        var collector = new HostCollector(options);
        collector.Collect(1_000_000_000);
        // CPU counters move in 10 ms jiffies: collect again until they have moved (burning CPU, not sleeping).
        List<Ingest.Model.MetricPoint> points;
        var ts = 1_000_000_000L;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            Thread.SpinWait(1_000_000);
            points = collector.Collect(ts += 1_000_000_000);
        }
        while (!points.Any(p => p.Measurement == "cpu") && stopwatch.Elapsed < TimeSpan.FromSeconds(60));

        var measurements = points.Select(p => p.Measurement).ToHashSet();
        Assert.Subset(measurements, new HashSet<string> { "cpu", "mem" });
        Assert.Contains("swap", measurements);
        Assert.Contains("system", measurements);
        Assert.Contains("processes", measurements);
        Assert.Contains("disk", measurements);
        Assert.Contains(points, p => p.Measurement == "cpu" && p.Tags.Any(t => t.Value == "cpu-total"));
        var procstat = Assert.Single(points, p => p.Measurement == "procstat");
        Assert.True(procstat.Fields.Single(f => f.Key == "rss_bytes").Value.AsInt64 > 10_000_000);
        Assert.True(procstat.Fields.Single(f => f.Key == "count").Value.AsInt64 >= 1);
        Assert.Contains(procstat.Fields, f => f.Key == "cpu_percent");
        Assert.Equal(0, collector.Failures);
        foreach (var point in points)
        {
            LineProtocolWriter.ToLine(point); // every point is representable
        }
    }
}
