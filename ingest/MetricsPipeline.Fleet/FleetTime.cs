namespace MetricsPipeline.Fleet;

/// <summary>Conversions between .NET time types and the Unix nanoseconds used for event time.</summary>
public static class FleetTime
{
    /// <summary>Nanoseconds per .NET tick (100 ns).</summary>
    public const long NanosecondsPerTick = 100;

    /// <summary>Converts <paramref name="time"/> to Unix time in nanoseconds.</summary>
    public static long ToUnixNanoseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosecondsPerTick;

    /// <summary>Converts Unix time in nanoseconds to a UTC <see cref="DateTimeOffset"/> (truncated to ticks).</summary>
    public static DateTimeOffset FromUnixNanoseconds(long nanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(FloorDiv(nanoseconds, NanosecondsPerTick));

    /// <summary>Converts a duration to nanoseconds.</summary>
    public static long ToNanoseconds(TimeSpan duration) => duration.Ticks * NanosecondsPerTick;

    /// <summary>Integer division rounding toward negative infinity (<paramref name="divisor"/> must be positive).</summary>
    public static long FloorDiv(long value, long divisor) =>
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}
