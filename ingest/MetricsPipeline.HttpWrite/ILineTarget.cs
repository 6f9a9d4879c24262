namespace MetricsPipeline.HttpWrite;

/// <summary>
/// Where accepted lines go (the Kafka line producer in production, a list in tests). Implementations must be
/// thread-safe: requests append concurrently.
/// </summary>
public interface ILineTarget
{
    /// <summary>
    /// Appends one complete line (with its trailing <c>\n</c>) of the series <paramref name="seriesKey"/>. May block
    /// while the target applies backpressure; the endpoint bounds how many requests can be blocked here.
    /// </summary>
    void Append(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line);
}
