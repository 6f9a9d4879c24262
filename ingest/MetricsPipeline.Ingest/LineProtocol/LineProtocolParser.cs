using System.Text;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Allocating convenience over <see cref="LineProtocolReader"/> for tests and tools: parses a whole payload into
/// <see cref="MetricPoint"/>s and errors. Hot paths use the reader directly. Thread-safe.
/// </summary>
public static class LineProtocolParser
{
    /// <summary>Parses every line of <paramref name="payload"/>.</summary>
    /// <param name="payload">UTF-8 line protocol, one or many lines.</param>
    /// <param name="precision">The unit of the timestamps. The default is nanoseconds.</param>
    /// <param name="limits">The limits to enforce; <c>null</c> means <see cref="LineProtocolLimits.Default"/>.</param>
    public static ParseResult Parse(ReadOnlySpan<byte> payload, TimestampPrecision precision = TimestampPrecision.Nanoseconds, LineProtocolLimits? limits = null)
    {
        var points = new List<MetricPoint>();
        var errors = new List<LineProtocolError>();
        var reader = new LineProtocolReader(payload, precision, limits);
        while (reader.MoveNext())
        {
            if (reader.IsValid)
            {
                points.Add(reader.Current.ToMetricPoint());
            }
            else
            {
                errors.Add(reader.Error);
            }
        }

        return new ParseResult(points, errors);
    }

    /// <summary>Parses every line of <paramref name="text"/> (encoded as UTF-8 first).</summary>
    /// <param name="text">Line protocol text.</param>
    /// <param name="precision">The unit of the timestamps. The default is nanoseconds.</param>
    /// <param name="limits">The limits to enforce; <c>null</c> means <see cref="LineProtocolLimits.Default"/>.</param>
    public static ParseResult Parse(string text, TimestampPrecision precision = TimestampPrecision.Nanoseconds, LineProtocolLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), precision, limits);
    }
}
