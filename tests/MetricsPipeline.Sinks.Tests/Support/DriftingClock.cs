using Microsoft.Extensions.Time.Testing;

namespace MetricsPipeline.Sinks.Tests.Support;

/// <summary>
/// A fake clock that can move at the worst moment: the next time a timer is re-armed (<see cref="ITimer.Change"/>),
/// it first advances by <see cref="AdvanceOnNextChange"/> — as if another thread advanced the clock while the code
/// under test was between reading the time and arming its timer.
/// </summary>
internal sealed class DriftingClock : TimeProvider
{
    private long _advanceTicks;

    public DriftingClock(FakeTimeProvider inner) => Inner = inner;

    public FakeTimeProvider Inner { get; }

    public TimeSpan AdvanceOnNextChange
    {
        set => Interlocked.Exchange(ref _advanceTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow();

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new DriftingTimer(this, Inner.CreateTimer(callback, state, dueTime, period));

    private void DriftOnce()
    {
        var ticks = Interlocked.Exchange(ref _advanceTicks, 0);
        if (ticks > 0)
        {
            Inner.Advance(TimeSpan.FromTicks(ticks));
        }
    }

    private sealed class DriftingTimer(DriftingClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.DriftOnce();
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
