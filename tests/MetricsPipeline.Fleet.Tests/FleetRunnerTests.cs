using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace MetricsPipeline.Fleet.Tests;

public sealed class FleetRunnerTests
{
    private static readonly DateTimeOffset Start = Fleet.Wednesday.AddHours(12);
    private static readonly long TenSeconds = 10_000_000_000;

    private static FleetSimulator SmallFleet() => new(new FleetOptions
    {
        Services = [new ServiceProfile("api", 100, 80, 20), new ServiceProfile("db", 50, 80, 5)],
        InstancesPerService = 2,
        LatencySamplesPerInterval = 3,
    });

    [Fact]
    public async Task WhenThreeDaysOfHistoryAreRequestedThenEveryIntervalIsBackfilledWithoutTheClockMoving()
    {
        var time = new FakeTimeProvider(Start);
        var progress = new List<FleetProgress>();
        var runner = new FleetRunner(SmallFleet(), time);
        var options = new FleetRunOptions
        {
            History = TimeSpan.FromDays(3),
            Duration = TimeSpan.Zero,
            Progress = new SynchronousProgress(progress.Add),
            ProgressEvery = 1000,
        };
        long lines = 0;

        var stats = await runner.RunAsync(options, (key, line) => lines++, TestContext.Current.CancellationToken);

        const long intervals = 3 * 24 * 360;
        Assert.Equal(intervals, stats.Intervals);
        Assert.Equal(intervals, stats.BackfillIntervals);
        Assert.Equal(intervals * 4, stats.LinesByMeasurement[FleetSchema.ServiceMeasurement]);
        Assert.Equal(intervals * 4 * 3, stats.LinesByMeasurement[FleetSchema.HttpRequestMeasurement]);
        Assert.Equal(lines, stats.Lines);
        Assert.Equal(Fleet.Ns(Start.AddDays(-3)), stats.FirstEventTimestampNs);
        Assert.InRange(stats.LastEventTimestampNs!.Value, Fleet.Ns(Start) - TenSeconds, Fleet.Ns(Start) - 1);
        Assert.False(stats.Cancelled);
        Assert.Equal(Start, time.GetUtcNow());
        Assert.Equal(intervals / 1000 + 1, progress.Count);
        Assert.All(progress, p => Assert.Equal(FleetRunPhase.Backfill, p.Phase));
        Assert.Equal(1.0, progress[^1].BackfillFraction);
    }

    [Fact]
    public async Task WhenHistoryIsNotAWholeNumberOfIntervalsThenItIsRoundedUp()
    {
        var runner = new FleetRunner(SmallFleet(), new FakeTimeProvider(Start));
        var options = new FleetRunOptions { History = TimeSpan.FromSeconds(25), Duration = TimeSpan.Zero };
        var stats = await runner.RunAsync(options, (key, line) => { }, TestContext.Current.CancellationToken);
        Assert.Equal(3, stats.Intervals);
        Assert.Equal(Fleet.Ns(Start.AddSeconds(-30)), stats.FirstEventTimestampNs);
    }

    [Fact]
    public async Task WhenLiveAtTenTimesSpeedThenOneIntervalIsEmittedPerSecondOfClockTime()
    {
        var time = new ArmedTimerClock(Start);
        var emitted = Channel.CreateUnbounded<FleetProgress>();
        var options = new FleetRunOptions
        {
            Speed = 10,
            AfterInterval = (p, ct) => emitted.Writer.WriteAsync(p, ct),
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = new FleetRunner(SmallFleet(), time).RunAsync(options, (key, line) => { }, cts.Token);

        for (var k = 0; k < 5; k++)
        {
            // The runner's wait for interval k + 1 is armed before the clock moves (see ArmedTimerClock).
            Assert.Equal(TimeSpan.FromSeconds(1), await time.NextArmedTimerAsync());
            // Half a step produces nothing: the next interval read below must still be number k + 1.
            time.Advance(TimeSpan.FromMilliseconds(500));
            time.Advance(TimeSpan.FromMilliseconds(500));
            var p = await emitted.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal(k + 1, p.IntervalsDone);
            Assert.Equal(FleetRunPhase.Live, p.Phase);
            Assert.Equal(Fleet.Ns(Start) + k * TenSeconds, p.IntervalStartNs);
        }

        await cts.CancelAsync();
        var stats = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(stats.Cancelled);
        Assert.Equal(5, stats.Intervals);
        Assert.Equal(0, stats.BackfillIntervals);
        Assert.False(emitted.Reader.TryRead(out _));
    }

    [Fact]
    public async Task WhenCancelledWhileWaitingThenTheRunEndsWithTheStatisticsSoFar()
    {
        var time = new FakeTimeProvider(Start);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = new FleetRunner(SmallFleet(), time).RunAsync(new FleetRunOptions { History = TimeSpan.FromMinutes(1) }, (key, line) => { }, cts.Token);
        Assert.False(run.IsCompleted);

        await cts.CancelAsync();
        var stats = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(stats.Cancelled);
        Assert.Equal(6, stats.Intervals);
        Assert.Equal(6, stats.BackfillIntervals);
    }

    [Fact]
    public async Task WhenADurationIsGivenAtUnlimitedSpeedThenExactlyThatMuchEventTimeIsGenerated()
    {
        var time = new FakeTimeProvider(Start);
        var options = new FleetRunOptions { Speed = double.PositiveInfinity, Duration = TimeSpan.FromMinutes(1), History = TimeSpan.FromMinutes(1) };
        var stats = await new FleetRunner(SmallFleet(), time).RunAsync(options, (key, line) => { }, TestContext.Current.CancellationToken);
        Assert.Equal(12, stats.Intervals);
        Assert.Equal(6, stats.BackfillIntervals);
        Assert.InRange(stats.LastEventTimestampNs!.Value, Fleet.Ns(Start.AddSeconds(50)), Fleet.Ns(Start.AddMinutes(1)) - 1);
        Assert.Equal(Start, time.GetUtcNow());
    }

    [Fact]
    public async Task WhenStartedMidIntervalInRealTimeThenTheCurrentIntervalIsEmittedWhenItEnds()
    {
        var time = new ArmedTimerClock(Start.AddSeconds(25));
        var options = new FleetRunOptions { Duration = TimeSpan.FromSeconds(20) };
        var run = new FleetRunner(SmallFleet(), time).RunAsync(options, (key, line) => { }, TestContext.Current.CancellationToken);

        // Each advance waits for the runner's timer to be armed (see ArmedTimerClock).
        Assert.Equal(TimeSpan.FromSeconds(5), await time.NextArmedTimerAsync());
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1)); // 30 s: the interval [20 s, 30 s) is complete
        Assert.Equal(TimeSpan.FromSeconds(10), await time.NextArmedTimerAsync());
        time.Advance(TimeSpan.FromSeconds(10)); // 40 s: [30 s, 40 s) is complete, and the duration is reached

        var stats = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, stats.Intervals);
        Assert.Equal(Fleet.Ns(Start.AddSeconds(20)), stats.FirstEventTimestampNs);
    }

    public static TheoryData<string> InvalidRunOptions => ["Speed", "History", "Duration", "ProgressEvery"];

    [Theory]
    [MemberData(nameof(InvalidRunOptions))]
    public async Task WhenTheRunOptionsAreInvalidThenRunAsyncThrowsNamingTheSetting(string setting)
    {
        var options = setting switch
        {
            "Speed" => new FleetRunOptions { Speed = double.NaN },
            "History" => new FleetRunOptions { History = TimeSpan.MaxValue },
            "Duration" => new FleetRunOptions { Duration = TimeSpan.FromSeconds(-1) },
            _ => new FleetRunOptions { ProgressEvery = 0 },
        };
        var runner = new FleetRunner(SmallFleet(), new FakeTimeProvider(Start));
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            runner.RunAsync(options, (key, line) => { }, TestContext.Current.CancellationToken));
        Assert.Contains("FleetRunOptions." + setting, error.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(Action<FleetProgress> report) : IProgress<FleetProgress>
    {
        public void Report(FleetProgress value) => report(value);
    }
}
