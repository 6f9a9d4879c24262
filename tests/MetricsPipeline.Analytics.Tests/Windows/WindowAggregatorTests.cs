using System.Text;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Telemetry;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Ingest.Model;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public class WindowAggregatorTests
{
    private const long S = 1_000_000_000L;
    private static readonly long T0 = 1_700_000_000L * S; // a multiple of 1 min

    private static SourceMessage Message(long offset, string lines, int partition = 0) =>
        new("metrics", partition, offset, Encoding.UTF8.GetBytes(lines));

    private static WindowAggregator Create(FakeTimeProvider? time = null, TimeSpan? grace = null, bool exact = false) =>
        new(new WindowOptions { Grace = grace ?? TimeSpan.FromSeconds(5), Exact = exact }, new PipelineCounters(), time ?? new FakeTimeProvider());

    [Fact]
    public void WhenTheWatermarkPassesAWindowThenOneAggregatePerSeriesAndResolutionIsEmitted()
    {
        var agg = Create(exact: true);
        var letters = new List<DeadLetter>();
        var sb = new StringBuilder();
        for (var i = 0; i < 10; i++)
        {
            sb.Append($"lat,service=api v={i + 1} {T0 + (i * S)}\n");
            sb.Append($"lat,service=web v={(i + 1) * 10} {T0 + (i * S)}\n");
        }

        agg.Process(Message(0, sb.ToString()), letters);
        // Move event time past the 10 s window plus the 5 s grace.
        agg.Process(Message(1, $"lat,service=api v=100 {T0 + (16 * S)}\n"), letters);
        var batch = agg.Advance();

        Assert.Empty(letters);
        var tenSecond = batch.Windows.Where(w => w.Size == TimeSpan.FromSeconds(10)).ToList();
        Assert.Equal(2, tenSecond.Count);
        var api = tenSecond.Single(w => w.Tags.Single().Value == "api");
        var stats = api.Fields.Single();
        Assert.Equal("v", stats.Field);
        Assert.Equal(10, stats.Count);
        Assert.Equal(55, stats.Sum);
        Assert.Equal(1, stats.Min);
        Assert.Equal(10, stats.Max);
        Assert.Equal(5.5, stats.Mean);
        // Lower nearest rank: index floor(q*(n-1)) of 1..10.
        Assert.Equal([5, 9, 9, 9, 9], stats.Quantiles);
        Assert.Equal(T0, api.StartNs);
        Assert.DoesNotContain(batch.Windows, w => w.Size == TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void WhenAPointArrivesOutOfOrderWithinTheGraceThenItIsAggregatedIntoItsWindow()
    {
        var agg = Create();
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, $"m v=1 {T0 + (12 * S)}\n"), letters);
        agg.Process(Message(1, $"m v=2 {T0 + (3 * S)}\n"), letters); // window [T0, T0+10s) still open: watermark 12 s - 5 s grace
        agg.Process(Message(2, $"m v=3 {T0 + (30 * S)}\n"), letters);
        var batch = agg.Advance();

        var first = batch.Windows.Single(w => w.Size == TimeSpan.FromSeconds(10) && w.StartNs == T0);
        Assert.Equal(1, first.Fields.Single().Count);
        Assert.Equal(0, agg.Counters.LatePoints);
    }

    [Fact]
    public void WhenAPointArrivesAfterItsWindowClosedThenItIsCountedAsLate()
    {
        var agg = Create();
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, $"m v=1 {T0 + (100 * S)}\n"), letters);
        agg.Advance();
        agg.Process(Message(1, $"m v=2 {T0}\n"), letters);
        Assert.Equal(1, agg.Counters.LatePoints);
        Assert.Equal(2, agg.Counters.PointsReceived);
    }

    [Fact]
    public void WhenALineIsMalformedThenItBecomesADeadLetterAndTheRestOfTheMessageIsKept()
    {
        var agg = Create();
        var letters = new List<DeadLetter>();
        agg.Process(Message(7, $"m v=1 {T0}\nm v=oops {T0}\nm v=3 {T0 + S}\n"), letters);
        var letter = Assert.Single(letters);
        Assert.Equal(2, letter.Line);
        Assert.Equal("metrics/0@7", letter.Source);
        Assert.Equal(1, agg.Counters.ParseErrors);
        var drained = agg.Drain();
        Assert.Equal(2, drained.Windows.First(w => w.Size == TimeSpan.FromSeconds(10)).Fields.Single().Count);
    }

    [Fact]
    public void WhenWindowsAreStillOpenThenTheirMessagesOffsetsAreNotReleased()
    {
        var agg = Create();
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, $"m v=1 {T0}\n"), letters);
        agg.Process(Message(1, $"m v=1 {T0 + (20 * S)}\n"), letters);
        var batch = agg.Advance(); // closes the first 10 s window only; the 1 min window is open
        Assert.Empty(batch.Commits);
        var drained = agg.Drain();
        var commit = Assert.Single(drained.Commits);
        Assert.Equal(2, commit.NextOffset);
    }

    [Fact]
    public void WhenOnePartitionLagsThenItHoldsTheWatermarkBackUntilItIsIdle()
    {
        var time = new FakeTimeProvider();
        var agg = new WindowAggregator(new WindowOptions { Grace = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) }, new PipelineCounters(), time);
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, $"m,p=a v=1 {T0}\n", partition: 0), letters);
        agg.Process(Message(0, $"m,p=b v=1 {T0 + (120 * S)}\n", partition: 1), letters);
        Assert.Empty(agg.Advance().Windows); // partition 0 is at T0: nothing can close

        time.Advance(TimeSpan.FromSeconds(31)); // partition 0 goes idle
        agg.Process(Message(1, $"m,p=b v=1 {T0 + (121 * S)}\n", partition: 1), letters);
        var batch = agg.Advance();
        Assert.Contains(batch.Windows, w => w.StartNs == T0);
    }

    [Fact]
    public void WhenAnAssignedPartitionHasDeliveredNothingYetThenItHoldsTheWatermarkUntilItIsIdle()
    {
        var time = new FakeTimeProvider();
        var agg = new WindowAggregator(new WindowOptions { Grace = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) }, new PipelineCounters(), time);
        var letters = new List<DeadLetter>();
        agg.OnPartitionsChanged(true, "metrics", [0, 1]);
        agg.Process(Message(0, $"m,p=a v=1 {T0 + (120 * S)}\n", partition: 0), letters);
        Assert.Empty(agg.Advance().Windows);

        // Partition 1's first points are older than partition 0's, and still not late.
        agg.Process(Message(0, $"m,p=b v=1 {T0}\nm,p=b v=2 {T0 + (20 * S)}\n", partition: 1), letters);
        Assert.Equal(0, agg.Counters.LatePoints);
        Assert.Contains(agg.Advance().Windows, w => w.StartNs == T0);

        var idle = new WindowAggregator(new WindowOptions { Grace = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) }, new PipelineCounters(), time);
        idle.OnPartitionsChanged(true, "metrics", [0, 1]);
        idle.Process(Message(0, $"m v=1 {T0}\n", partition: 0), letters);
        idle.Process(Message(1, $"m v=1 {T0 + (120 * S)}\n", partition: 0), letters);
        Assert.Empty(idle.Advance().Windows);
        time.Advance(TimeSpan.FromSeconds(31));
        idle.Process(Message(2, $"m v=1 {T0 + (121 * S)}\n", partition: 0), letters);
        Assert.NotEmpty(idle.Advance().Windows);
    }

    [Fact]
    public void WhenTheSeriesLimitIsReachedThenNewSeriesAreRejectedAndCounted()
    {
        var agg = new WindowAggregator(new WindowOptions { MaxSeries = 2 }, new PipelineCounters(), new FakeTimeProvider());
        var letters = new List<DeadLetter>();
        agg.Process(Message(0, $"m,s=1 v=1 {T0}\nm,s=2 v=1 {T0}\nm,s=3 v=1 {T0}\nm,s=1 v=2 {T0}\n"), letters);
        Assert.Equal(2, agg.SeriesCount);
        Assert.Equal(1, agg.Counters.SeriesRejected);
        Assert.Equal(3, agg.Counters.PointsReceived);
    }
}
