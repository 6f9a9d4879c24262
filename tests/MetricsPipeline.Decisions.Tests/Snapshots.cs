using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Tests;

internal static class Snapshots
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    public static ServiceSnapshot At(int minute, int instances, double cpu, double rate = 100, double memory = 40, string service = "api") =>
        new(service, T0.AddMinutes(minute), instances) { CpuPercent = cpu, MemoryPercent = memory, RequestRate = rate };

    /// <summary>
    /// Evaluates one snapshot a minute (5 instances, the given CPU) from minute <paramref name="from"/> to the end of
    /// <paramref name="cpuPerMinute"/>; returns each alert event with the minute it came at.
    /// </summary>
    public static List<(int Minute, AlertEnvelope Alert)> RunCpu(ThresholdAlertEvaluator evaluator, double[] cpuPerMinute, int from = 0)
    {
        var events = new List<(int, AlertEnvelope)>();
        for (int minute = from; minute < cpuPerMinute.Length; minute++)
        {
            foreach (var e in evaluator.Evaluate(At(minute, 5, cpuPerMinute[minute])))
            {
                events.Add((minute, e));
            }
        }

        return events;
    }
}
