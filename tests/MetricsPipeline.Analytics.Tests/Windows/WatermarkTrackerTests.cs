using MetricsPipeline.Analytics.Windows;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Analytics.Tests.Windows;

public sealed class WatermarkTrackerTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    [Fact]
    public void WhenTheWholeStageStallsWithInputQueuedThenNoPartitionGoesIdle()
    {
        var time = new FakeTimeProvider();
        var pending = true;
        var tracker = new WatermarkTracker(Idle, time) { InputPending = () => pending };
        tracker.Observe("metrics", 0, 100);
        tracker.Observe("metrics", 1, 200);

        // The sinks hold the stage back for twice the idle timeout; partition 0's records are still queued.
        time.Advance(2 * Idle);
        Assert.Equal(100, tracker.Current);

        // Once the queue is empty, silence is silence: everything seen may close.
        pending = false;
        Assert.Equal(200, tracker.Current);
    }

    [Fact]
    public void WhenOtherPartitionsKeepDeliveringThenASilentPartitionGoesIdleEvenWithInputQueued()
    {
        var time = new FakeTimeProvider();
        var tracker = new WatermarkTracker(Idle, time) { InputPending = () => true };
        tracker.Observe("metrics", 0, 100);
        tracker.Observe("metrics", 1, 200);

        time.Advance(Idle / 2);
        tracker.Observe("metrics", 1, 300);
        time.Advance(Idle * 0.6);
        // Partition 0 has been silent longer than the timeout, but the others delivered for only half of it since.
        Assert.Equal(100, tracker.Current);

        time.Advance(Idle * 0.6);
        tracker.Observe("metrics", 1, 400);
        Assert.Equal(400, tracker.Current);
    }

    [Fact]
    public void WhenNothingTellsOfQueuedInputThenIdlenessIsProcessingTimeAlone()
    {
        var time = new FakeTimeProvider();
        var tracker = new WatermarkTracker(Idle, time);
        tracker.Observe("metrics", 0, 100);
        tracker.Observe("metrics", 1, 200);
        time.Advance(Idle / 2);
        tracker.Observe("metrics", 1, 300);
        time.Advance(Idle * 0.6);

        Assert.Equal(300, tracker.Current);
    }
}
