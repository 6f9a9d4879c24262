namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Bounds the line-protocol reader enforces on every line. A line that exceeds one is rejected with its own
/// reason (<c>line_too_long</c>, <c>too_many_tags</c>, ...) instead of being half-accepted.
/// Instances are immutable once handed to a reader and may be shared between threads.
/// </summary>
public sealed class LineProtocolLimits
{
    /// <summary>The defaults described on each property (immutable, shared).</summary>
    public static LineProtocolLimits Default { get; } = new();

    /// <summary>
    /// The longest accepted line in bytes, excluding the line terminator. The default is 65536 (64 KiB), far
    /// above any agent line (Telegraf's are a few hundred bytes) yet small enough to bound the work per line.
    /// </summary>
    public int MaxLineBytes { get; init; } = 65536;

    /// <summary>The most tags one line may carry. The default is 256.</summary>
    public int MaxTags { get; init; } = 256;

    /// <summary>The most fields one line may carry. The default is 1024.</summary>
    public int MaxFields { get; init; } = 1024;

    /// <summary>
    /// The earliest accepted timestamp, in Unix nanoseconds after precision conversion. The default is
    /// <see cref="long.MinValue"/> (unbounded).
    /// </summary>
    public long MinTimestampNs { get; init; } = long.MinValue;

    /// <summary>
    /// The latest accepted timestamp, in Unix nanoseconds after precision conversion. The default is
    /// <see cref="long.MaxValue"/> (unbounded).
    /// </summary>
    public long MaxTimestampNs { get; init; } = long.MaxValue;

    /// <summary>
    /// Whether float fields that are NaN or infinite (<c>NaN</c>, <c>inf</c>, <c>-Inf</c>, or a literal such as
    /// <c>1e999</c> that overflows) are rejected with <c>non_finite_float</c>. The default is <c>true</c>, which is
    /// what InfluxDB does; with <c>false</c> they are accepted and read as NaN or ±infinity.
    /// </summary>
    public bool RejectNonFinite { get; init; } = true;
}
