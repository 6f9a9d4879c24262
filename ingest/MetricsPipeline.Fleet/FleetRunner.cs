namespace MetricsPipeline.Fleet;

/// <summary>
/// Drives a <see cref="FleetSimulator"/> over time: first the history (as fast as possible), then live intervals
/// paced by a <see cref="TimeProvider"/>. Live pacing maps clock to event time as
/// event = W0 + (clock − W0)·Speed, where W0 is the clock when live mode starts, and emits an interval once
/// event time has passed its end; intervals already complete are emitted at once (catch-up).
/// Timestamps are always event time: interval k of the run starts at start + k·Interval.
/// One run at a time per runner.
/// </summary>
public sealed class FleetRunner
{
    private readonly FleetSimulator _simulator;
    private readonly TimeProvider _time;

    /// <summary>Creates a runner.</summary>
    /// <param name="simulator">The fleet to run.</param>
    /// <param name="timeProvider">The clock. The default is <see cref="TimeProvider.System"/>.</param>
    public FleetRunner(FleetSimulator simulator, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        _simulator = simulator;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs until <see cref="FleetRunOptions.Duration"/> of live event time has been generated or
    /// <paramref name="cancellationToken"/> is cancelled. Cancellation is a normal end: the statistics of what was
    /// generated are returned with <see cref="FleetRunStatistics.Cancelled"/> set.
    /// </summary>
    /// <param name="options">History, speed, duration and hooks.</param>
    /// <param name="callback">Receives every line (see <see cref="LineCallback"/>), on the runner's thread.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<FleetRunStatistics> RunAsync(FleetRunOptions options, LineCallback callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(callback);
        options.Validate();

        var intervalNs = _simulator.IntervalNanoseconds;
        var stats = new LineStatistics(callback);
        var liveStart = FleetTime.FloorDiv(NowNs(), intervalNs) * intervalNs;
        var backfill = CeilDiv(FleetTime.ToNanoseconds(options.History), intervalNs);
        long? end = options.Duration is { } d ? liveStart + FleetTime.ToNanoseconds(d) : null;
        var next = liveStart - backfill * intervalNs;
        long done = 0;
        var cancelled = false;

        for (long k = 0; k < backfill; k++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Finish(stats, done, done, true);
            }

            _simulator.WriteInterval(next, stats.Callback);
            done++;
            var progress = new FleetProgress(FleetRunPhase.Backfill, next, done, backfill, stats.Lines);
            if (done % options.ProgressEvery == 0 || done == backfill)
            {
                options.Progress?.Report(progress);
            }

            if (!await AfterIntervalAsync(options, progress, cancellationToken).ConfigureAwait(false))
            {
                return Finish(stats, done, done, true);
            }

            next += intervalNs;
        }

        var wallStart = NowNs();
        while (end is null || next < end)
        {
            // Relative arithmetic keeps the doubles small and exact (absolute Unix ns would lose ~100 ns).
            var dueAfterNs = (next + intervalNs - wallStart) / options.Speed;
            var delayNs = dueAfterNs - (NowNs() - wallStart);
            if (delayNs > 0)
            {
                try
                {
                    var ticks = (long)Math.Min(Math.Ceiling(delayNs / FleetTime.NanosecondsPerTick), TimeSpan.FromDays(1).Ticks);
                    await Task.Delay(TimeSpan.FromTicks(ticks), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                continue; // re-check: a long wait is split into day-sized delays
            }

            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            _simulator.WriteInterval(next, stats.Callback);
            done++;
            var progress = new FleetProgress(FleetRunPhase.Live, next, done, backfill, stats.Lines);
            options.Progress?.Report(progress);
            if (!await AfterIntervalAsync(options, progress, cancellationToken).ConfigureAwait(false))
            {
                cancelled = true;
                break;
            }

            next += intervalNs;
        }

        return Finish(stats, done, backfill, cancelled);
    }

    /// <summary>Runs the hook; returns <c>false</c> when it was cut short by cancellation of the run.</summary>
    private static async ValueTask<bool> AfterIntervalAsync(FleetRunOptions options, FleetProgress progress, CancellationToken ct)
    {
        if (options.AfterInterval is not { } hook)
        {
            return true;
        }

        try
        {
            await hook(progress, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static FleetRunStatistics Finish(LineStatistics stats, long intervals, long backfill, bool cancelled) =>
        new(intervals, backfill, stats.Lines, stats.CountsByMeasurement(), stats.FirstTimestampNs, stats.LastTimestampNs, cancelled);

    private long NowNs() => FleetTime.ToUnixNanoseconds(_time.GetUtcNow());

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;
}
