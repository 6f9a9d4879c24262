using BenchmarkDotNet.Running;

namespace MetricsPipeline.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project bench/MetricsPipeline.Benchmarks -- --filter '*'</c>;
/// <c>-- anomaly-cpu</c> runs <see cref="AnomalyCpuCost"/> and <c>-- ssa-cpu</c> <see cref="SsaCpuCost"/> instead.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    public static int Main(string[] args)
    {
        // Thread-CPU-time measurement of the anomaly detectors, outside BenchmarkDotNet (see AnomalyCpuCost for why).
        if (args is ["anomaly-cpu", ..])
        {
            return AnomalyCpuCost.Run();
        }

        if (args is ["ssa-cpu", ..])
        {
            return SsaCpuCost.Run();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
