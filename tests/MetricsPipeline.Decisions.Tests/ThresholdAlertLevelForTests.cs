using MetricsPipeline.Decisions.Alerts;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>A level fires only once its own condition has held for the rule's "for" duration.</summary>
public sealed class ThresholdAlertLevelForTests
{
    private static readonly ThresholdAlertRule CpuFor5 =
        PlaybookAlertRules.Defaults().Single(r => r.Name == "cpu_high") with { For = TimeSpan.FromMinutes(5) };

    private static List<(int Minute, AlertEnvelope Alert)> Run(ThresholdAlertEvaluator evaluator, params double[] cpuPerMinute)
    {
        var events = new List<(int, AlertEnvelope)>();
        for (int minute = 0; minute < cpuPerMinute.Length; minute++)
        {
            foreach (var e in evaluator.Evaluate(At(minute, 5, cpuPerMinute[minute])))
            {
                events.Add((minute, e));
            }
        }

        return events;
    }

    [Fact]
    public void WhenTheValueRisesFromWarningToCriticalThenEachLevelWaitsForItsOwnForDuration()
    {
        // Warning (> 80) from minute 0, critical (> 90) from minute 4. Before: at minute 5 the critical alert fired, its
        // condition having held 1 minute (the clock was the warning's), and the warning never fired.
        var events = Run(new ThresholdAlertEvaluator([CpuFor5]), 85, 85, 85, 85, 92, 92, 92, 92, 92, 92, 92);
        Assert.Equal([(5, AlertSeverity.Warning), (9, AlertSeverity.Critical)], events.Select(e => (e.Minute, e.Alert.Severity)).ToArray());
    }

    [Fact]
    public void WhenOneMinuteIsCriticalDuringASustainedWarningThenOnlyTheWarningFires()
    {
        var events = Run(new ThresholdAlertEvaluator([CpuFor5]), 85, 85, 85, 85, 85, 97, 85, 85);
        var (minute, alert) = Assert.Single(events);
        Assert.Equal(5, minute);
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
    }

    [Fact]
    public void WhenTheValueJumpsStraightToCriticalThenCriticalFiresAfterTheForDuration()
    {
        var events = Run(new ThresholdAlertEvaluator([CpuFor5]), 50, 92, 92, 92, 92, 92, 92);
        Assert.Equal([(6, AlertSeverity.Critical)], events.Select(e => (e.Minute, e.Alert.Severity)).ToArray());
    }
}
