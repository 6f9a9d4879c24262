namespace MetricsPipeline.Fleet;

/// <summary>
/// Receives one line of line protocol. Both spans are only valid during the call (the buffer is reused).
/// </summary>
/// <param name="seriesKey">The escaped <c>measurement,tag=value,...</c> prefix, exactly as it appears at the start
/// of <paramref name="line"/>; use it as a partition key.</param>
/// <param name="line">The whole line, including the trailing <c>\n</c>.</param>
public delegate void LineCallback(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line);
