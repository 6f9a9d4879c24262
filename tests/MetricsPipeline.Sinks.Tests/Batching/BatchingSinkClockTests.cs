using MetricsPipeline.Sinks.Batching;
using MetricsPipeline.Sinks.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MetricsPipeline.Sinks.Tests.Batching;

public sealed class BatchingSinkClockTests
{
    [Fact]
    public async Task WhenTheClockMovesWhileTheFlushTimerIsBeingArmedThenThePartialBatchIsStillWrittenOnTime()
    {
        // A batch of two leaves one item behind; the loop then arms the flush timer for it. The clock jumps 400 ms
        // just as the timer is armed: the item must still go out exactly one flush interval after it was admitted.
        var fake = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var clock = new DriftingClock(fake) { AdvanceOnNextChange = TimeSpan.FromMilliseconds(400) };
        var writer = new ScriptedWriter<int>(fake);
        var sink = new BatchingSink<int>(writer, new BatchingSinkOptions { MaxBatchSize = 2, FlushInterval = TimeSpan.FromSeconds(1) }, "test", timeProvider: clock);
        try
        {
            var ack = await sink.EnqueueAsync([0, 1, 2], TestContext.Current.CancellationToken);
            await Eventually.TrueAsync(() => fake.GetUtcNow() > new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero), "the loop re-arms the flush timer");
            Assert.Equal([0, 1], Assert.Single(writer.Written));

            fake.Advance(TimeSpan.FromMilliseconds(599));
            await Eventually.SettleAsync();
            Assert.Single(writer.Written);
            Assert.False(ack.IsCompleted);

            fake.Advance(TimeSpan.FromMilliseconds(1));
            await ack.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal([2], writer.Written.Last());
        }
        finally
        {
            await SinkDisposal.DisposeAsync(sink, fake);
        }
    }
}
