using System.Diagnostics;
using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// Issue 4's speed figures in thread CPU time (see <see cref="ThreadCpu"/>), next to wall time: training with L = 100 on
/// 2 000 points per rank-selection method; one online update (<c>Consume</c>); one update plus a 12-step forecast with
/// bounds, plain and with every tuner-selectable feature on; and one 1-minute tick of 10 000 series (update + forecast)
/// both ways. Each figure is the median of several rounds; the plain model is the reference measured in the same run,
/// its rounds taking turns with the all-features model's.
/// Run: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- ssa-cpu</c>.
/// </summary>
public static class SsaCpuCost
{
    private const int Series = 10_000;
    private const int Rounds = 9;
    private static readonly double[] Data = SsaBenchmarkModels.Series(4096, 1);

    /// <summary>Runs every measurement and prints one line each; returns the process exit code.</summary>
    public static int Run()
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("ssa-cpu needs Linux (CLOCK_THREAD_CPUTIME_ID).");
            return 2;
        }

        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("measurement                              cpu_median   wall_median  unit");
        foreach (var method in new[] { RankSelectionMethod.Exact, RankSelectionMethod.Fast, RankSelectionMethod.Fixed })
        {
            var (cpu, wall) = Measure(5, () => SsaForecaster.Train(SsaBenchmarkModels.Plain(method), Data));
            Print($"train L=100 N=2000 {method}", cpu / 1e6, wall / 1e6, "ms");
        }

        // Exact rank selection picks the ranks (Rank = 10 is the Fixed method's): 28 plain, 26 on the log scale.
        var plain = SsaForecaster.Train(SsaBenchmarkModels.Plain(), Data);
        var full = SsaForecaster.Train(SsaBenchmarkModels.WithAllFeatures(SsaBenchmarkModels.Plain()), Data);
        var (f, lo, up) = (new double[12], new double[12], new double[12]);
        const int points = 100_000;
        int t = 0;
        var consume = MeasureInterleaved(
            points,
            () => plain.Consume(Data[2000 + (t++ & 1023)]),
            () => full.Consume(Data[2000 + (t++ & 1023)]));
        Print($"consume (plain, rank {plain.Rank})", consume[0].Cpu, consume[0].Wall, "ns/point");
        Print($"consume (all features, rank {full.Rank})", consume[1].Cpu, consume[1].Wall, "ns/point");
        var forecast = MeasureInterleaved(
            points,
            () =>
            {
                plain.Consume(Data[2000 + (t++ & 1023)]);
                plain.Forecast(f, lo, up);
            },
            () =>
            {
                full.Consume(Data[2000 + (t++ & 1023)]);
                full.Forecast(f, lo, up);
            });
        Print("consume + 12-step forecast (plain)", forecast[0].Cpu, forecast[0].Wall, "ns/point");
        Print("consume + 12-step forecast (all features)", forecast[1].Cpu, forecast[1].Wall, "ns/point");

        foreach (var allFeatures in new[] { false, true })
        {
            var model = SsaForecaster.Train(SsaBenchmarkModels.Fleet(allFeatures), Data);
            var models = Enumerable.Range(0, Series).Select(_ => model.Clone()).ToArray();
            int tick = 0;
            var (cpu, wall) = Measure(1, () =>
            {
                double x = Data[2000 + (tick++ & 1023)];
                foreach (var m in models)
                {
                    m.Consume(x);
                    m.Forecast(f, lo, up);
                }
            });
            Print($"10 000-series tick ({(allFeatures ? "all features" : "plain")})", cpu / 1e6, wall / 1e6, "ms/tick");
        }

        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static void Print(string name, double cpu, double wall, string unit) =>
        Console.WriteLine($"{name,-40} {cpu,10:F1}  {wall,12:F1}  {unit}");

    /// <summary>Median thread CPU and wall nanoseconds per call of <paramref name="action"/>, over <see cref="Rounds"/> rounds of <paramref name="calls"/> calls (after one warm-up round).</summary>
    private static (double Cpu, double Wall) Measure(int calls, Action action) => MeasureInterleaved(calls, action)[0];

    /// <summary>
    /// <see cref="Measure"/> for several actions whose rounds take turns (warm-up rounds included): a, b, a, b, …. Why:
    /// this machine is shared, and its speed shifts between plateaus for seconds at a time (up to 30 % on the same
    /// code), so figures measured one after the other compared the moments more than the actions (session 13's plain
    /// Consume, 1526 ns, came out above the all-features one, 1331 ns, which does more work; taking turns, the two are
    /// within 2–3 %).
    /// </summary>
    private static (double Cpu, double Wall)[] MeasureInterleaved(int calls, params Action[] actions)
    {
        var cpu = actions.Select(_ => new List<double>()).ToArray();
        var wall = actions.Select(_ => new List<double>()).ToArray();
        for (int round = -1; round < Rounds; round++)
        {
            for (int a = 0; a < actions.Length; a++)
            {
                var action = actions[a];
                long cpuStart = ThreadCpu.Nanoseconds();
                long wallStart = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    action();
                }

                if (round >= 0)
                {
                    wall[a].Add(Stopwatch.GetElapsedTime(wallStart).TotalNanoseconds / calls);
                    cpu[a].Add((ThreadCpu.Nanoseconds() - cpuStart) / (double)calls);
                }
            }
        }

        return [.. Enumerable.Range(0, actions.Length).Select(a => (ThreadCpu.Median(cpu[a]), ThreadCpu.Median(wall[a])))];
    }
}
