using System.Globalization;
using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.State;

/// <summary>
/// A partition taken over from an older checkpoint (<see cref="WindowAggregator.BeginCatchUp"/>) while the stage has
/// closed further on its own partitions: its replayed points are not late, its windows are rebuilt and closed, and its
/// offsets are released only with them.
/// </summary>
public sealed class CatchUpTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_700_000_000L / 60 * 60 * S;

    [Fact]
    public void WhenATakenOverPartitionReplaysBehindTheStageThenItsWindowsAreRebuiltAndNothingIsLate()
    {
        var (aggregator, counters) = Create();
        aggregator.OnPartitionsChanged(true, "m", [0]);

        // Partition 0 runs to 100 s; with 10 s grace the stage closes through 90 s.
        for (var t = 0; t <= 100; t += 2)
        {
            Feed(aggregator, 0, t / 2, "a", t);
        }

        var closed = Drain(aggregator);
        Assert.Equal(T0 + (90 * S), aggregator.ClosedThroughNs);

        // Partition 1 is taken over; its checkpoint says windows through 40 s were written by the previous owner.
        aggregator.OnPartitionsChanged(true, "m", [1]);
        aggregator.BeginCatchUp("m", 1, T0 + (40 * S));
        aggregator.BeginReplay("m", 1, 20); // the previous owner had read offsets 0..19 (30..38 s was counted by it)
        for (var t = 30; t <= 100; t += 2)
        {
            Feed(aggregator, 1, t / 2, "b", t);
            var early = Drain(aggregator);
            // Only messages whose points were all late (30..38 s, offsets 15..19) may be released before the close.
            Assert.DoesNotContain(early.Commits, c => c.Partition == 1 && t < 100 && c.NextOffset > 20);
            closed.Windows.AddRange(early.Windows);
        }

        Assert.Equal(0, aggregator.PartitionsCatchingUp);
        var tenSecond = closed.Windows.Where(w => w.Measurement == "cpu" && w.Tags.Any(t => t.Value == "b") && w.Size == TimeSpan.FromSeconds(10)).ToList();

        // Windows [40,50) … [80,90) of b are rebuilt whole (5 values each); [30,40) was the previous owner's (late).
        Assert.Equal([40L, 50, 60, 70, 80], tenSecond.Select(w => (w.StartNs - T0) / S).Order());
        Assert.All(tenSecond, w => Assert.Equal(5, w.Fields[0].Count));
        Assert.Equal(0, counters.LatePoints);
        Assert.Equal(5, counters.ReplayedPoints); // 30..38 s: at or before the checkpoint's closed-through time, re-read

        // A new record past the replayed ones with a point of an already written window is late data.
        Feed(aggregator, 1, 51, "b", 36);
        Assert.Equal(1, counters.LatePoints);
        Assert.Equal(5, counters.ReplayedPoints);
    }

    [Fact]
    public void WhenTheCheckpointHasNoReadPositionThenReplayedPointsOfWrittenWindowsStillCountAsLate()
    {
        var (aggregator, counters) = Create();
        aggregator.OnPartitionsChanged(true, "m", [0]);
        for (var t = 0; t <= 100; t += 2)
        {
            Feed(aggregator, 0, t / 2, "a", t);
        }

        Drain(aggregator);
        aggregator.OnPartitionsChanged(true, "m", [1]);
        aggregator.BeginCatchUp("m", 1, T0 + (40 * S)); // a version 1 checkpoint: nothing says which records were read
        for (var t = 30; t <= 48; t += 2)
        {
            Feed(aggregator, 1, t / 2, "b", t);
        }

        Assert.Equal(5, counters.LatePoints);
        Assert.Equal(0, counters.ReplayedPoints);
    }

    [Fact]
    public void WhenTheCheckpointIsNotBehindTheStageThenNoCatchUpStarts()
    {
        var (aggregator, _) = Create();
        aggregator.OnPartitionsChanged(true, "m", [0]);
        Feed(aggregator, 0, 0, "a", 30);
        Drain(aggregator);

        aggregator.BeginCatchUp("m", 1, T0 + (60 * S));
        Feed(aggregator, 0, 1, "a", 32);

        Assert.Equal(0, aggregator.PartitionsCatchingUp);
    }

    [Fact]
    public void WhenARevokedPartitionComesBackAndReplaysThenItsDiscardedOpenWindowsAreNotCountedTwice()
    {
        var (aggregator, _) = Create();
        aggregator.OnPartitionsChanged(true, "m", [0]);
        for (var t = 0; t <= 20; t += 2)
        {
            Feed(aggregator, 0, t / 2, "a", t);
        }

        Drain(aggregator); // closes through 10 s; [10,20) and [20,30) stay open
        var series = aggregator.RegisterSeries("cpu", [new("host", "a")]);
        Assert.Equal(2, aggregator.DiscardOpenWindows([series, 12345]));

        // The partition comes back and replays from its checkpoint (offset 5, 10 s).
        for (var t = 10; t <= 60; t += 2)
        {
            Feed(aggregator, 0, t / 2, "a", t);
        }

        var windows = Drain(aggregator).Windows.Where(w => w.StartNs - T0 is 10 * S or 20 * S).ToList();
        Assert.Equal(2, windows.Count);
        Assert.All(windows, w => Assert.Equal(5, w.Fields[0].Count));
    }

    private static (WindowAggregator Aggregator, PipelineCounters Counters) Create()
    {
        var counters = new PipelineCounters();
        var options = new WindowOptions { Sizes = [TimeSpan.FromSeconds(10)], Grace = TimeSpan.FromSeconds(10), KeepSketchesFor = [] };
        return (new WindowAggregator(options, counters, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000))), counters);
    }

    private static void Feed(WindowAggregator aggregator, int partition, long offset, string host, int seconds)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"cpu,host={host} usage={seconds} {T0 + (seconds * S)}\n");
        aggregator.Process(new SourceMessage("m", partition, offset, Encoding.UTF8.GetBytes(line)), []);
    }

    private static (List<WindowResult> Windows, List<OffsetCommit> Commits) Drain(WindowAggregator aggregator)
    {
        var windows = new List<WindowResult>();
        var commits = new List<OffsetCommit>();
        do
        {
            var batch = aggregator.Advance();
            windows.AddRange(batch.Windows);
            commits.AddRange(batch.Commits);
        }
        while (aggregator.HasPendingWindows);

        return (windows, commits);
    }
}
