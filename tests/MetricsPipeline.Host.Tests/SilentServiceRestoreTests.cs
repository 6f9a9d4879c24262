using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.SilentServiceAlertTests;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A restart from the decision stage's checkpoint does not restart the silence of a service gone silent: the restored
/// stage resolves its alert, and drops its idle alert state, at the same event time as a stage that never stopped.
/// </summary>
public sealed class SilentServiceRestoreTests
{
    private const int Day = 24 * 60;

    /// <summary>api breaches at minute 0 and then sends nothing; only the closed-through time moves on, a minute a batch.</summary>
    private static IEnumerable<AggregateBatch> ApiThenSilence(int minutes)
    {
        yield return Minute(0, "api");
        for (int m = 1; m < minutes; m++)
        {
            yield return new AggregateBatch([], [], T0 + ((m + 1) * MinuteNs));
        }
    }

    private static string Text(List<JsonElement> alerts) => string.Join("\n", alerts.Select(a => a.GetRawText()));

    [Fact]
    public void WhenTheStageIsRestoredMidSilenceThenTheAlertResolvesWhenTheUninterruptedOneDoes()
    {
        var batches = ApiThenSilence(30).ToList();
        var (reference, expected) = Stage();
        foreach (var batch in batches)
        {
            reference.OnWindows(batch);
        }

        var resolved = Cpu(expected, "api")[^1];
        Assert.Equal(("resolved", T0 + (12 * MinuteNs)), (resolved.GetProperty("status").GetString(), Ns(resolved)));

        // Restart after each batch in turn: before the silence was noticed (after minute 0), in it, and after the resolution.
        for (int restartAfter = 1; restartAfter < 20; restartAfter++)
        {
            var (first, alerts) = Stage();
            foreach (var batch in batches.Take(restartAfter))
            {
                first.OnWindows(batch);
            }

            var (second, more) = Stage();
            second.RestoreState(first.SaveState());
            foreach (var batch in batches.Skip(restartAfter))
            {
                second.OnWindows(batch);
            }

            Assert.Equal(Text(expected), Text([.. alerts, .. more]));
        }
    }

    [Fact]
    public void WhenAVersion3StateIsRestoredThenTheTicksStartAgainAtTheFirstWindow()
    {
        var (first, _) = Stage();
        first.OnWindows(Minute(0, "api"));
        first.OnWindows(new AggregateBatch([], [], T0 + (3 * MinuteNs)));
        var v5 = first.SaveState();
        Assert.Equal(5, v5[0]);
        // Version 3 is version 5 without the last tick (a presence byte and 8 bytes) and the growth phases (here none:
        // a 4-byte length of 0) at the end.
        var v3 = v5[..^13];
        v3[0] = 3;

        var (second, alerts) = Stage();
        second.RestoreState(v3);
        // No window closes: the version 3 state has no tick to go on from, so nothing is swept (as in that build).
        second.OnWindows(new AggregateBatch([], [], T0 + (30 * MinuteNs)));
        Assert.Empty(alerts);
        // The next window starts the ticks; the no-data clock (since minute 2, in the alert state) has run out.
        second.OnWindows(Minute(40, "web"));
        var resolved = Assert.Single(Cpu(alerts, "api"));
        Assert.Equal(("resolved", T0 + (41 * MinuteNs)), (resolved.GetProperty("status").GetString(), Ns(resolved)));
    }

    [Fact]
    public void WhenAServiceStaysSilentForTheRetentionThenTheStageDropsItsAlertStateAndItsReturnStartsClean()
    {
        var (stage, alerts) = Stage();
        stage.OnWindows(Minute(0, "api", "web"));
        int both = stage.AlertStatesTracked;
        Assert.True(both > 0);
        for (int m = 1; m <= Day; m++)
        {
            stage.OnWindows(Minute(m, "web"));
        }

        // api's alert resolved for lack of data at minute 11, and a day after its last window its states went.
        Assert.Equal(both / 2, stage.AlertStatesTracked);
        Assert.Equal(["firing", "resolved"], Cpu(alerts, "api").Select(a => a.GetProperty("status").GetString()));
        stage.OnWindows(Minute(Day + 1, "api", "web"));
        Assert.Equal(both, stage.AlertStatesTracked);
        var back = Cpu(alerts, "api")[^1];
        Assert.Equal(("firing", false), (back.GetProperty("status").GetString(), back.GetProperty("renotification").GetBoolean()));
    }

    [Fact]
    public void WhenEveryServiceIsSilentThenAFlappingAlertSettlesAtTheSameTickHoweverTheBatchesAreCut()
    {
        // web flaps for 10 minutes (the last change, back within limits, suppressed), then nothing comes; only the
        // closed-through time moves, in batches of 1 or of 97 minutes. With a 2-hour retention its state is dropped, and
        // the flapping alert settles, at the first tick 2 hours after its last window (minute 9 ends at T0 + 10 min).
        foreach (int step in new[] { 1, 97 })
        {
            var (stage, alerts) = Stage(TimeSpan.FromHours(2));
            for (int m = 0; m < 10; m++)
            {
                stage.OnWindows(new AggregateBatch([Window("web", m, m % 2 == 0 ? 97 : 40)], [], T0 + ((m + 1) * MinuteNs)));
            }

            Assert.Equal("flapping", Cpu(alerts, "web")[^1].GetProperty("status").GetString());
            for (int m = 10; m < 400; m += step)
            {
                stage.OnWindows(new AggregateBatch([], [], T0 + ((m + step) * MinuteNs)));
            }

            var settled = Cpu(alerts, "web")[^1];
            Assert.Equal(("resolved", T0 + (130 * MinuteNs)), (settled.GetProperty("status").GetString(), Ns(settled)));
            Assert.Contains("settled", settled.GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, stage.AlertStatesTracked);
        }
    }

    [Fact]
    public void WhenTheRetentionIsNotPositiveThenTheStageIsRefusedNamingTheSetting()
    {
        var options = new ScalingStageOptions { AlertStateRetention = TimeSpan.Zero };
        var e = Assert.Throws<ArgumentException>(() => new ScalingStage(options, new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains("Analytics:Alerts:StateRetention", e.Message, StringComparison.Ordinal);
    }
}
