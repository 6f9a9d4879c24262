using MetricsPipeline.Decisions.Alerts;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>A level fires only once its own condition has held for the rule's "for" duration.</summary>
public sealed class ThresholdAlertLevelForTests
{
    private static readonly ThresholdAlertRule CpuFor5 =
        PlaybookAlertRules.Defaults().Single(r => r.Name == "cpu_high") with { For = TimeSpan.FromMinutes(5) };

    private static List<(int Minute, AlertEnvelope Alert)> Run(ThresholdAlertEvaluator evaluator, params double[] cpuPerMinute) =>
        RunCpu(evaluator, cpuPerMinute);

    [Fact]
    public void WhenTheValueRisesFromWarningToCriticalThenEachLevelWaitsForItsOwnForDuration()
    {
        // Warning (> 80) from minute 0, critical (> 90) from minute 4. Before: at minute 5 the critical alert fired, its
        // condition having held 1 minute (the clock was the warning's), and the warning never fired.
        var events = Run(new ThresholdAlertEvaluator([CpuFor5]), 85, 85, 85, 85, 92, 92, 92, 92, 92, 92, 92);
        Assert.Equal([(5, AlertSeverity.Warning), (9, AlertSeverity.Critical)], events.Select(e => (e.Minute, e.Alert.Severity)).ToArray());
    }

    [Fact]
    public void WhenTheStateIsRestoredWhileTwoLevelsArePendingThenTheRestoredEvaluatorFiresAsTheUninterruptedOne()
    {
        // Warning from minute 0, critical from minute 2: at minute 3 both clocks run and neither level has fired.
        double[] cpu = [85, 85, 92, 92, 92, 92, 92, 92, 92, 92];
        var expected = Run(new ThresholdAlertEvaluator([CpuFor5]), cpu).Select(e => (e.Minute, e.Alert.Severity)).ToArray();
        Assert.Equal([(5, AlertSeverity.Warning), (7, AlertSeverity.Critical)], expected);

        var before = new ThresholdAlertEvaluator([CpuFor5]);
        Assert.Empty(Run(before, cpu[..4]));
        var restored = new ThresholdAlertEvaluator([CpuFor5]);
        restored.RestoreState(before.SaveState());
        var after = Continue(restored, cpu, from: 4);
        Assert.Equal(expected, after);

        // A version-4 state kept only the next level's clock: the critical clock starts again at the next breach.
        var fromV4 = new ThresholdAlertEvaluator([CpuFor5]);
        fromV4.RestoreState(AlertStateVersions.Downgrade(before.SaveState(), 4));
        Assert.Equal([(5, AlertSeverity.Warning), (9, AlertSeverity.Critical)], Continue(fromV4, cpu, from: 4));
    }

    private static (int, AlertSeverity)[] Continue(ThresholdAlertEvaluator evaluator, double[] cpuPerMinute, int from) =>
        [.. RunCpu(evaluator, cpuPerMinute, from).Select(e => (e.Minute, e.Alert.Severity))];

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
