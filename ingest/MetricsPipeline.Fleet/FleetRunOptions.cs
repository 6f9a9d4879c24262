namespace MetricsPipeline.Fleet;

/// <summary>How a <see cref="FleetRunner"/> run proceeds.</summary>
public sealed class FleetRunOptions
{
    // Event time is Unix nanoseconds in a long (good until 2262): keep spans far from overflowing it.
    private static readonly TimeSpan MaxSpan = TimeSpan.FromDays(36_500);

    /// <summary>
    /// How much history to generate before going live: the intervals from now − History (rounded up to whole
    /// intervals) to now are produced as fast as possible. The default is zero (no history).
    /// </summary>
    public TimeSpan History { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How fast event time passes in live mode relative to the clock: 1 is real time; N emits an interval every
    /// Interval/N of clock time; <see cref="double.PositiveInfinity"/> does not wait at all. The default is 1.
    /// </summary>
    public double Speed { get; set; } = 1;

    /// <summary>
    /// How much event time to generate after the start of live mode (the interval boundary at or before the
    /// run's start), or <c>null</c> to run until cancelled. The default is <c>null</c>.
    /// </summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Receives progress: during backfill every <see cref="ProgressEvery"/> intervals and at its end, in
    /// live mode after every interval. The default is none.</summary>
    public IProgress<FleetProgress>? Progress { get; set; }

    /// <summary>Backfill intervals between two progress reports. The default is 100.</summary>
    public int ProgressEvery { get; set; } = 100;

    /// <summary>
    /// Awaited after every interval (backfill and live), e.g. to flush a producer or apply backpressure.
    /// The default is none.
    /// </summary>
    public Func<FleetProgress, CancellationToken, ValueTask>? AfterInterval { get; set; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (History < TimeSpan.Zero || History > MaxSpan)
        {
            throw new ArgumentException($"FleetRunOptions.History must be between zero and 100 years (was {History}).");
        }

        if (!(Speed > 0))
        {
            throw new ArgumentException($"FleetRunOptions.Speed must be positive (was {Speed}).");
        }

        if (Duration is { } d && (d < TimeSpan.Zero || d > MaxSpan))
        {
            throw new ArgumentException($"FleetRunOptions.Duration must be between zero and 100 years (was {d}).");
        }

        if (ProgressEvery < 1)
        {
            throw new ArgumentException($"FleetRunOptions.ProgressEvery must be at least 1 (was {ProgressEvery}).");
        }
    }
}
