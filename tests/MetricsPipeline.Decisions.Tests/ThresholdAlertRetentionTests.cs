using MetricsPipeline.Decisions.Alerts;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// The alert states of a service that has gone silent are dropped once idle and the service has sent nothing for the
/// retention; a service that comes back starts clean.
/// </summary>
public sealed class ThresholdAlertRetentionTests
{
    private const int Day = 24 * 60;

    /// <summary>web reports every minute of [from, to) at 40 % CPU and each minute is swept; returns the events.</summary>
    private static List<AlertEnvelope> WebOnly(ThresholdAlertEvaluator alerts, int from, int to)
    {
        var events = new List<AlertEnvelope>();
        for (int minute = from; minute < to; minute++)
        {
            events.AddRange(alerts.Evaluate(At(minute, 5, 40, service: "web")));
            events.AddRange(alerts.Sweep(T0.AddMinutes(minute)));
        }

        return events;
    }

    [Fact]
    public void WhenAServiceStaysSilentForTheRetentionThenItsIdleStatesAreDropped()
    {
        var alerts = new ThresholdAlertEvaluator();
        Assert.Equal(TimeSpan.FromDays(1), alerts.IdleStateRetention);
        alerts.Evaluate(At(0, 5, 40, service: "web"));
        int webOnly = alerts.TrackedStates;
        alerts.Evaluate(At(0, 5, 40));
        Assert.Equal(2 * webOnly, alerts.TrackedStates);
        Assert.Equal(T0.AddDays(1), alerts.NextIdleStateDrop);

        // api sends nothing after minute 0: its states stay for a day less a minute, then go.
        Assert.Empty(WebOnly(alerts, 1, Day));
        Assert.Equal(2 * webOnly, alerts.TrackedStates);
        Assert.Empty(WebOnly(alerts, Day, Day + 1));
        Assert.Equal(webOnly, alerts.TrackedStates);
        Assert.Equal(T0.AddMinutes(Day).AddDays(1), alerts.NextIdleStateDrop);
    }

    [Fact]
    public void WhenAServiceReturnsAfterTheRetentionThenAPendingConditionStartsAgain()
    {
        // cpu_high must hold 5 minutes. api breaches at minute 0, then is gone for two days. Before, its pending clock
        // from two days ago counted, and it fired at the first snapshot back, after one breaching minute.
        var rules = PlaybookAlertRules.Defaults().Select(r => r.Name == "cpu_high" ? r with { For = TimeSpan.FromMinutes(5) } : r).ToList();
        var alerts = new ThresholdAlertEvaluator(rules);
        Assert.Empty(alerts.Evaluate(At(0, 5, 97)));
        for (int minute = 2 * Day; minute < (2 * Day) + 5; minute++)
        {
            Assert.Empty(alerts.Evaluate(At(minute, 5, 97)));
        }

        var fired = Assert.Single(alerts.Evaluate(At((2 * Day) + 5, 5, 97)));
        Assert.Equal((AlertStatus.Firing, "cpu_high", T0.AddMinutes((2 * Day) + 5)), (fired.Status, fired.Rule, fired.StartsAt));
    }

    [Fact]
    public void WhenAFiringAlertOfASilentServiceResolvesThenItsStateIsDroppedAfterTheRetentionAndTheReturnFiresAfresh()
    {
        var alerts = new ThresholdAlertEvaluator();
        alerts.Evaluate(At(0, 5, 40, service: "web"));
        int webOnly = alerts.TrackedStates;
        Assert.Equal(AlertStatus.Firing, Assert.Single(alerts.Evaluate(At(0, 5, 97))).Status);
        var events = WebOnly(alerts, 1, Day + 1);
        var resolved = Assert.Single(events);
        Assert.Equal((AlertStatus.Resolved, "api", T0.AddMinutes(11)), (resolved.Status, resolved.Service, resolved.Timestamp));
        Assert.Equal(webOnly, alerts.TrackedStates);

        var back = Assert.Single(alerts.Evaluate(At(Day + 30, 5, 97)));
        Assert.Equal((AlertStatus.Firing, T0.AddMinutes(Day + 30), false), (back.Status, back.StartsAt, back.Renotification));
    }

    [Fact]
    public void WhenAFiringAlertCanNeverResolveForLackOfDataThenItIsKeptButTheOtherStatesGo()
    {
        var rules = PlaybookAlertRules.Defaults().Select(r => r.Name == "cpu_high" ? r with { NoDataResolveAfter = TimeSpan.Zero } : r).ToList();
        var alerts = new ThresholdAlertEvaluator(rules);
        alerts.Evaluate(At(0, 5, 40, service: "web"));
        int webOnly = alerts.TrackedStates;
        Assert.Single(alerts.Evaluate(At(0, 5, 97)));
        Assert.Empty(WebOnly(alerts, 1, Day + 1));
        // cpu_high stays open (it can only resolve on data); memory_high, idle, is gone.
        Assert.Equal(webOnly + 1, alerts.TrackedStates);
        Assert.Equal(T0.AddMinutes(Day).AddDays(1), alerts.NextIdleStateDrop);
        // Back a day later: the alert open since minute 0 carries on (re-notified, then resolved on data).
        var still = Assert.Single(alerts.Evaluate(At(Day + 30, 5, 97)));
        Assert.Equal((AlertStatus.Firing, true, T0), (still.Status, still.Renotification, still.StartsAt));
        Assert.Equal(AlertStatus.Resolved, Assert.Single(alerts.Evaluate(At(Day + 31, 5, 40))).Status);
    }

    [Fact]
    public void WhenAFlappingAlertsServiceGoesSilentThenDroppingItSaysWhereItSettled()
    {
        var alerts = new ThresholdAlertEvaluator();
        var events = new List<AlertEnvelope>();
        for (int minute = 0; minute < 10; minute++)
        {
            events.AddRange(alerts.Evaluate(At(minute, 5, minute % 2 == 0 ? 97 : 40)));
        }

        Assert.Contains(events, a => a.Status == AlertStatus.Flapping);
        // The last change (minute 9, back within limits) is suppressed: the flapping event was the last word.
        Assert.Equal(AlertStatus.Flapping, events[^1].Status);
        var dropped = WebOnly(alerts, 10, 9 + Day + 1);
        var settled = Assert.Single(dropped);
        Assert.Equal((AlertStatus.Resolved, "api", "cpu_high", T0.AddMinutes(9 + Day)), (settled.Status, settled.Service, settled.Rule, settled.Timestamp));
        Assert.Contains("settled", settled.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(alerts.SaveState(s => s == "api").Skip(1), b => b != 0);
    }

    [Fact]
    public void WhenAFlappingAlertIsResolvedForLackOfDataThenThatResolutionEndsTheEpisode()
    {
        // Flapping and firing (minute 10 breaches) when api goes silent: the no-data resolution is its last word, so the
        // drop a day later sends nothing more (before, the alert stayed marked flapping and would have settled again).
        var alerts = new ThresholdAlertEvaluator();
        var events = new List<AlertEnvelope>();
        for (int minute = 0; minute < 11; minute++)
        {
            events.AddRange(alerts.Evaluate(At(minute, 5, minute % 2 == 0 ? 97 : 40)));
        }

        Assert.Equal(AlertStatus.Flapping, events[^1].Status);
        var later = WebOnly(alerts, 11, 10 + Day + 1);
        var resolved = Assert.Single(later);
        Assert.Equal((AlertStatus.Resolved, T0.AddMinutes(21)), (resolved.Status, resolved.Timestamp));
        Assert.Contains("no snapshot", resolved.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheStateIsRestoredMidSilenceThenTheStatesAreDroppedWhenTheUninterruptedOnesAre()
    {
        var alerts = new ThresholdAlertEvaluator();
        alerts.Evaluate(At(0, 5, 40, service: "web"));
        int webOnly = alerts.TrackedStates;
        alerts.Evaluate(At(0, 5, 40));
        WebOnly(alerts, 1, 600);

        var restored = new ThresholdAlertEvaluator();
        restored.RestoreState(alerts.SaveState());
        Assert.Equal(T0.AddDays(1), restored.NextIdleStateDrop);
        WebOnly(restored, 600, Day);
        Assert.Equal(2 * webOnly, restored.TrackedStates);
        WebOnly(restored, Day, Day + 1);
        Assert.Equal(webOnly, restored.TrackedStates);
    }

    [Fact]
    public void WhenAVersion2StateIsRestoredThenItsServicesAreDroppedARetentionAfterTheFirstSweep()
    {
        var alerts = new ThresholdAlertEvaluator();
        alerts.Evaluate(At(0, 5, 40));
        int states = alerts.TrackedStates;
        var restored = new ThresholdAlertEvaluator();
        restored.RestoreState(AlertStateVersions.Downgrade(alerts.SaveState(), 2));
        Assert.Equal(states, restored.TrackedStates);
        Assert.Null(restored.NextIdleStateDrop);
        Assert.Empty(restored.Sweep(T0.AddMinutes(100)));
        Assert.Equal(T0.AddMinutes(100).AddDays(1), restored.NextIdleStateDrop);
        restored.Sweep(T0.AddMinutes(100 + Day - 1));
        Assert.Equal(states, restored.TrackedStates);
        restored.Sweep(T0.AddMinutes(100 + Day));
        Assert.Equal(0, restored.TrackedStates);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void WhenTheRetentionIsNotPositiveThenTheEvaluatorIsRefused(int minutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdAlertEvaluator(null, TimeSpan.FromMinutes(minutes)));
}
