using System.Diagnostics;
using MetricsPipeline.Anomaly;
using MetricsPipeline.Anomaly.Auto;
using MetricsPipeline.Anomaly.Sequential;
using MetricsPipeline.Anomaly.SrCnn;
using MetricsPipeline.Anomaly.Ssa;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// The streaming cost of every online detector in thread CPU time (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, Linux), next to wall
/// time: on a shared machine with a load of 20–50 on 2 cores, wall-clock benchmarks mostly measure the waiting, while the
/// thread's own CPU time is what one core would spend. Two measurements per detector (ML.NET's default parameters): the
/// cost per point on one warmed-up series (the series of <see cref="AnomalyDetectorBenchmarks"/>), and one 1-minute tick of
/// 10 000 warmed-up series (as <see cref="AnomalyDetectorFleetBenchmarks"/>). Each figure is the median of several rounds.
/// Run: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- anomaly-cpu</c>.
/// </summary>
public static class AnomalyCpuCost
{
    private const int Points = 4096;
    private const int Series = 10_000;
    private const int FleetLength = 512;
    private const int Rounds = 7;
    private static readonly string[] Detectors = ["iid-spike", "iid-changepoint", "ssa-spike", "ssa-changepoint", "srcnn", "auto"];

    /// <summary>Runs every measurement and prints one line per detector; returns the process exit code.</summary>
    public static int Run()
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("anomaly-cpu needs Linux (CLOCK_THREAD_CPUTIME_ID).");
            return 2;
        }

        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("detector         cpu_ns_per_point  wall_ns_per_point  fleet_cpu_ms_per_tick  fleet_wall_ms_per_tick  fleet_cpu_ns_per_series  allocated_bytes_per_point");
        foreach (var name in Detectors)
        {
            var (cpuPoint, wallPoint, allocated) = PerPoint(name);
            var (cpuTick, wallTick) = Fleet(name);
            Console.WriteLine($"{name,-16} {cpuPoint,16:F1}  {wallPoint,17:F1}  {cpuTick,21:F2}  {wallTick,22:F2}  {cpuTick * 1e6 / Series,23:F1}  {allocated,25:F3}");
        }

        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static IAnomalyDetector Create(string name, double[] training) => name switch
    {
        "iid-spike" => new IidSpikeDetector(new IidSpikeDetectorOptions()),
        "iid-changepoint" => new IidChangePointDetector(new IidChangePointDetectorOptions()),
        "ssa-spike" => SsaDetectors.CreateSpike(new SsaDetectorOptions(), training),
        "ssa-changepoint" => SsaDetectors.CreateChangePoint(new SsaDetectorOptions { Confidence = 95, HistoryLength = 20 }, training),
        "srcnn" => new SrCnnDetector(new SrCnnDetectorOptions()),
        _ => new AutoDetector(new AutoDetectorOptions()),
    };

    private static (double CpuNs, double WallNs, double AllocatedBytes) PerPoint(string name)
    {
        var random = new Random(42);
        var series = Enumerable.Range(0, Points)
            .Select(i => 50 + (20 * Math.Sin(2 * Math.PI * i / 288)) + random.NextDouble() + (i % 997 == 0 ? 40 : 0))
            .ToArray();
        var detector = Create(name, series);
        double sink = 0;
        foreach (var v in series)
        {
            sink += detector.Next(v).AnomalyScore;
        }

        var cpu = new List<double>();
        var wall = new List<double>();
        long allocated = 0;
        for (var round = 0; round < Rounds; round++)
        {
            const int passes = 16;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuStart = ThreadCpu.Nanoseconds();
            var wallStart = Stopwatch.GetTimestamp();
            for (var pass = 0; pass < passes; pass++)
            {
                foreach (var v in series)
                {
                    sink += detector.Next(v).AnomalyScore;
                }
            }

            wall.Add(Stopwatch.GetElapsedTime(wallStart).TotalNanoseconds / (passes * Points));
            cpu.Add((ThreadCpu.Nanoseconds() - cpuStart) / (double)(passes * Points));
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        GC.KeepAlive(sink);
        return (ThreadCpu.Median(cpu), ThreadCpu.Median(wall), allocated / (double)(Rounds * 16 * Points));
    }

    private static (double CpuMs, double WallMs) Fleet(string name)
    {
        var random = new Random(11);
        var values = new double[Series][];
        var detectors = new IAnomalyDetector[Series];
        for (var s = 0; s < Series; s++)
        {
            var level = 10 + (s % 500);
            var offset = s;
            values[s] = Enumerable.Range(0, FleetLength)
                .Select(i => level * (1 + (0.2 * Math.Sin(2 * Math.PI * (i + offset) / 1440)) + (0.05 * random.NextDouble())))
                .ToArray();
            detectors[s] = Create(name, values[s]);
        }

        var tick = 0;
        var alerts = 0;
        for (; tick < 200; tick++)
        {
            alerts += Tick(detectors, values, tick);
        }

        var cpu = new List<double>();
        var wall = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            const int ticks = 10;
            var cpuStart = ThreadCpu.Nanoseconds();
            var wallStart = Stopwatch.GetTimestamp();
            for (var t = 0; t < ticks; t++, tick++)
            {
                alerts += Tick(detectors, values, tick);
            }

            wall.Add(Stopwatch.GetElapsedTime(wallStart).TotalMilliseconds / ticks);
            cpu.Add((ThreadCpu.Nanoseconds() - cpuStart) / 1e6 / ticks);
        }

        GC.KeepAlive(alerts);
        return (ThreadCpu.Median(cpu), ThreadCpu.Median(wall));
    }

    private static int Tick(IAnomalyDetector[] detectors, double[][] values, int tick)
    {
        var alerts = 0;
        var i = tick % FleetLength;
        for (var s = 0; s < detectors.Length; s++)
        {
            alerts += detectors[s].Next(values[s][i]).Alert ? 1 : 0;
        }

        return alerts;
    }
}
