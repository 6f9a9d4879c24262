using MetricsPipeline.Anomaly.Streaming;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class AlertLifecycleTests
{
    private const long Minute = 60_000_000_000;

    private static AlertLifecycle Create() => new(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10), resolveAfter: 3);

    [Fact]
    public void WhenAnAnomalyPersistsThenItOpensOnceAndRepeatsOnlyAfterTheRenotifyInterval()
    {
        var lifecycle = Create();
        var transitions = Enumerable.Range(0, 61).Select(m => lifecycle.Step(m * Minute, 1)).ToArray();
        Assert.Equal(AlertTransition.Open, transitions[0]);
        Assert.Equal(AlertTransition.Renotify, transitions[30]);
        Assert.Equal(AlertTransition.Renotify, transitions[60]);
        Assert.Equal(58, transitions.Count(t => t == AlertTransition.None));
    }

    [Fact]
    public void WhenTheSeverityRisesThenTheOpenAlertIsRenotifiedAtOnce()
    {
        var lifecycle = Create();
        Assert.Equal(AlertTransition.Open, lifecycle.Step(0, 1));
        Assert.Equal(AlertTransition.Renotify, lifecycle.Step(Minute, 3));
        Assert.Equal(3, lifecycle.Severity);
        Assert.Equal(AlertTransition.None, lifecycle.Step(2 * Minute, 2));
    }

    [Fact]
    public void WhenThreeNormalWindowsFollowThenTheAlertResolvesOnTheThird()
    {
        var lifecycle = Create();
        lifecycle.Step(0, 2);
        Assert.Equal(AlertTransition.None, lifecycle.Step(Minute, 0));
        Assert.Equal(AlertTransition.None, lifecycle.Step(2 * Minute, 0));
        Assert.Equal(AlertTransition.Resolve, lifecycle.Step(3 * Minute, 0));
        Assert.False(lifecycle.IsOpen);
        Assert.Equal(2, lifecycle.Severity);
    }

    [Fact]
    public void WhenAnAnomalousWindowInterruptsTheQuietRunThenTheResolveCountStartsOver()
    {
        var lifecycle = Create();
        lifecycle.Step(0, 1);
        lifecycle.Step(Minute, 0);
        lifecycle.Step(2 * Minute, 0);
        lifecycle.Step(3 * Minute, 1);
        Assert.Equal(AlertTransition.None, lifecycle.Step(4 * Minute, 0));
        Assert.Equal(AlertTransition.None, lifecycle.Step(5 * Minute, 0));
        Assert.Equal(AlertTransition.Resolve, lifecycle.Step(6 * Minute, 0));
    }

    [Fact]
    public void WhenASeriesFlapsThenANewEpisodeWaitsForTheMinimumReAlertInterval()
    {
        var lifecycle = Create();
        Assert.Equal(AlertTransition.Open, lifecycle.Step(0, 1));
        for (var m = 1; m <= 3; m++)
        {
            lifecycle.Step(m * Minute, 0);
        }

        Assert.False(lifecycle.IsOpen);
        Assert.Equal(AlertTransition.None, lifecycle.Step(5 * Minute, 1));
        Assert.False(lifecycle.IsOpen);
        Assert.Equal(AlertTransition.Open, lifecycle.Step(10 * Minute, 1));
    }

    [Fact]
    public void WhenAWorseConditionFollowsAResolvedEpisodeThenItOpensDespiteTheMinimumReAlertInterval()
    {
        var lifecycle = Create();
        lifecycle.Step(0, 1);
        for (var m = 1; m <= 3; m++)
        {
            lifecycle.Step(m * Minute, 0);
        }

        Assert.Equal(AlertTransition.Open, lifecycle.Step(4 * Minute, 3));
        Assert.Equal(4 * Minute, lifecycle.OpenedAtNs);
    }
}
