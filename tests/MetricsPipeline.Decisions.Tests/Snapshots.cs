using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Tests;

internal static class Snapshots
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    public static ServiceSnapshot At(int minute, int instances, double cpu, double rate = 100, double memory = 40, string service = "api") =>
        new(service, T0.AddMinutes(minute), instances) { CpuPercent = cpu, MemoryPercent = memory, RequestRate = rate };
}
