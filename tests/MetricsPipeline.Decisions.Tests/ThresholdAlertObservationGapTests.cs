using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// A "for" duration counts a breach that was observed throughout: a gap in the rule's metric (a silent service, or NaN
/// values) longer than the evaluator's observation gap restarts the pending clock at the first value after it.
/// </summary>
public sealed class ThresholdAlertObservationGapTests
{
    private static readonly ThresholdAlertRule CpuFor5 =
        PlaybookAlertRules.Defaults().Single(r => r.Name == "cpu_high") with { For = TimeSpan.FromMinutes(5) };

    /// <summary>The minutes (of <paramref name="minutes"/>, in order) at which cpu_high fired, with 97 % CPU at each.</summary>
    private static List<int> FiringMinutes(ThresholdAlertEvaluator alerts, IEnumerable<int> minutes, Func<int, double>? cpu = null)
    {
        var fired = new List<int>();
        foreach (var minute in minutes)
        {
            if (alerts.Evaluate(At(minute, 5, cpu?.Invoke(minute) ?? 97)).Any(a => a.Rule == "cpu_high" && a.Status == AlertStatus.Firing))
            {
                fired.Add(minute);
            }
        }

        return fired;
    }

    [Fact]
    public void WhenTheBreachIsSustainedThenTheAlertFiresWhenTheForDurationHasPassed()
    {
        var fired = FiringMinutes(new ThresholdAlertEvaluator([CpuFor5]), Enumerable.Range(0, 8));
        Assert.Equal([5], fired);
    }

    [Fact]
    public void WhenAServiceGoesSilentWhileABreachIsPendingThenItFiresOnlyAFreshForDurationAfterItComesBack()
    {
        // Breaching at minutes 0 and 1, silent for three hours (well inside the 1-day state retention), back breaching at
        // 180. Before, the clock from minute 0 still ran and the rule fired at 180, after one breaching snapshot back.
        var alerts = new ThresholdAlertEvaluator([CpuFor5]);
        var fired = FiringMinutes(alerts, [0, 1, .. Enumerable.Range(180, 8)]);
        Assert.Equal([185], fired);
    }

    [Fact]
    public void WhenTheMetricIsNaNWhileABreachIsPendingThenTheBreachCountsFromItsNextValue()
    {
        // The service keeps reporting, but without a CPU value from minute 2 to 179.
        var fired = FiringMinutes(new ThresholdAlertEvaluator([CpuFor5]), Enumerable.Range(0, 188), m => m is >= 2 and < 180 ? double.NaN : 97);
        Assert.Equal([185], fired);
    }

    [Fact]
    public void WhenOneEvaluationIsMissedThenThePendingClockRestartsButAnIntervalThatWobblesDoesNot()
    {
        // Minute 3 is missing (a gap of two intervals): the breach counts again from minute 4, so it fires at 9.
        var missed = FiringMinutes(new ThresholdAlertEvaluator([CpuFor5]), [0, 1, 2, 4, 5, 6, 7, 8, 9, 10]);
        Assert.Equal([9], missed);

        // Snapshots 80 s apart, then 40 s (within 1.5 intervals): the breach held from 0 and fires 5 minutes on.
        var alerts = new ThresholdAlertEvaluator([CpuFor5]);
        var firedAt = new List<TimeSpan>();
        foreach (var seconds in new[] { 0, 80, 120, 200, 240, 300, 320 })
        {
            var at = T0.AddSeconds(seconds);
            if (alerts.Evaluate(new ServiceSnapshot("api", at, 5) { CpuPercent = 97, MemoryPercent = 40, RequestRate = 100 }).Any(a => a.Rule == "cpu_high"))
            {
                firedAt.Add(at - T0);
            }
        }

        Assert.Equal([TimeSpan.FromSeconds(300)], firedAt);
    }

    [Fact]
    public void WhenTheEvaluationIntervalIsFiveMinutesThenSnapshotsFiveMinutesApartAreNoGap()
    {
        var rule = CpuFor5 with { For = TimeSpan.FromMinutes(10) };
        var alerts = new ThresholdAlertEvaluator([rule], evaluationInterval: TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(7.5), alerts.MaxObservationGap);
        Assert.Equal([10], FiringMinutes(alerts, [0, 5, 10, 15]));

        // With the default 1-minute interval the same snapshots are all gaps, and the condition never fires.
        Assert.Empty(FiringMinutes(new ThresholdAlertEvaluator([rule]), [0, 5, 10, 15]));
    }

    [Fact]
    public void WhenAnEscalationIsPendingAcrossAGapThenItTooCountsAfresh()
    {
        // Warning (82 %) fires after 5 minutes, at 5. Emergency (97 %) is then pending from 6; silent from 8 to 120.
        var alerts = new ThresholdAlertEvaluator([CpuFor5]);
        var events = new List<(int Minute, AlertSeverity Severity)>();
        foreach (var minute in Enumerable.Range(0, 8).Concat(Enumerable.Range(120, 8)))
        {
            foreach (var e in alerts.Evaluate(At(minute, 5, minute < 6 ? 82 : 97)))
            {
                events.Add((minute, e.Severity));
            }
        }

        // At 120 the warning, still firing, is re-notified (an hour since 5); the emergency fires 5 minutes later.
        Assert.Equal([(5, AlertSeverity.Warning), (120, AlertSeverity.Warning), (125, AlertSeverity.Emergency)], events);
    }

    [Fact]
    public void WhenAPendingStateIsRestoredThenAGapAcrossTheRestartStillRestartsTheClock()
    {
        var alerts = new ThresholdAlertEvaluator([CpuFor5]);
        Assert.Empty(FiringMinutes(alerts, [0, 1]));

        // Version 4 keeps when the metric last had a value; version 3 had none, and uses the service's last snapshot.
        foreach (var state in new[] { alerts.SaveState(), AlertStateVersions.Downgrade(alerts.SaveState(), 3) })
        {
            var restored = new ThresholdAlertEvaluator([CpuFor5]);
            restored.RestoreState(state);
            Assert.Equal([185], FiringMinutes(restored, Enumerable.Range(180, 8)));

            // Without a gap the restored clock carries on from minute 0.
            var carried = new ThresholdAlertEvaluator([CpuFor5]);
            carried.RestoreState(state);
            Assert.Equal([5], FiringMinutes(carried, Enumerable.Range(2, 5)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(2 * 24 * 60)]
    public void WhenTheEvaluationIntervalIsOutOfRangeThenTheEvaluatorIsRefused(int minutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdAlertEvaluator(evaluationInterval: TimeSpan.FromMinutes(minutes)));
}
