using MetricsPipeline.Ingest.LineProtocol;

namespace MetricsPipeline.HttpWrite;

/// <summary>Settings of the InfluxDB-compatible write endpoint (bound from the <c>HttpWrite</c> section).</summary>
public sealed class HttpWriteOptions
{
    /// <summary>
    /// The address to listen on, <c>host:port</c>. The default is <c>127.0.0.1:8186</c>: loopback only, so nothing
    /// outside the machine can write unless the operator says so (<c>0.0.0.0:8186</c>). Port 0 picks a free port.
    /// </summary>
    public string Listen { get; set; } = "127.0.0.1:8186";

    /// <summary>
    /// The token clients must present (<c>Authorization: Token X</c> or <c>Bearer X</c>, v1 <c>?p=X</c> or Basic auth
    /// with X as password). The default is <c>null</c>: no authentication, acceptable only because the default
    /// listen address is loopback. Read it from an environment variable or file, never from a checked-in config.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The largest accepted request body in bytes, both as sent and after gzip decompression (413 beyond).
    /// The default is 25 MiB (InfluxDB 2.x's default <c>http-max-body-size</c> is 25 000 000).
    /// </summary>
    public int MaxBodyBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>
    /// How many write requests may be parsed and forwarded at once; one more gets 429 with <c>Retry-After</c>
    /// instead of queueing without bound. The default is 2 × the processor count.
    /// </summary>
    public int MaxConcurrentWrites { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>The value of the <c>Retry-After</c> header on 429 responses, in seconds. The default is 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The per-line limits (line length, tags, timestamp bounds, non-finite floats). The default is <see cref="LineProtocolLimits.Default"/>.</summary>
    public LineProtocolLimits Limits { get; set; } = LineProtocolLimits.Default;

    /// <summary>
    /// The most distinct series (measurement + tag set) accepted per measurement; new series beyond it are rejected
    /// with <c>series_cardinality_exceeded</c> (a cardinality bomb guard). The default is 100 000; 0 disables it.
    /// </summary>
    public int MaxSeriesPerMeasurement { get; set; } = 100_000;

    /// <summary>
    /// The most (series, field) pairs whose type is remembered to detect <c>field_type_conflict</c>. The default is
    /// 1 000 000; past it new pairs are accepted without a type check (memory stays bounded).
    /// </summary>
    public int MaxTrackedFields { get; set; } = 1_000_000;
}
