using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace MetricsPipeline.Fleet.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer armed on it. A runner computes its wait from the clock and
/// then arms a timer for it; a test that advances the clock between the two arms the timer late by that much, and on a
/// fake clock nobody advances again it never fires. Waiting for the arm before advancing removes that race (today the
/// runner happens to continue inline inside <see cref="FakeTimeProvider.Advance"/> on the test's thread, which hides it;
/// nothing guarantees that).
/// </summary>
internal sealed class ArmedTimerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _armed.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits, at most 30 s, for the next timer not yet waited for; returns its due time.</summary>
    public async Task<TimeSpan> NextArmedTimerAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        return await _armed.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
    }
}
