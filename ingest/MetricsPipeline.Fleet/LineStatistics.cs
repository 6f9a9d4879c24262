using System.Buffers.Text;
using System.Text;

namespace MetricsPipeline.Fleet;

/// <summary>
/// Counts lines per measurement and tracks the timestamp range while forwarding each line, reading only the
/// bytes (measurement = series key up to the first unescaped comma; timestamp = last token of the line).
/// </summary>
internal sealed class LineStatistics
{
    private readonly LineCallback _next;
    private readonly List<(byte[] Name, long Count)> _counts = [];

    public LineStatistics(LineCallback next)
    {
        _next = next;
        Callback = OnLine;
    }

    public LineCallback Callback { get; }

    public long Lines { get; private set; }

    public long? FirstTimestampNs { get; private set; }

    public long? LastTimestampNs { get; private set; }

    public Dictionary<string, long> CountsByMeasurement() =>
        _counts.ToDictionary(c => Unescape(c.Name), c => c.Count, StringComparer.Ordinal);

    private void OnLine(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line)
    {
        _next(seriesKey, line);
        Lines++;
        Count(MeasurementOf(seriesKey));
        var body = line.TrimEnd((byte)'\n');
        var space = body.LastIndexOf((byte)' ');
        if (space >= 0 && Utf8Parser.TryParse(body[(space + 1)..], out long ts, out var consumed) && consumed == body.Length - space - 1)
        {
            FirstTimestampNs = FirstTimestampNs is { } f ? Math.Min(f, ts) : ts;
            LastTimestampNs = LastTimestampNs is { } l ? Math.Max(l, ts) : ts;
        }
    }

    private void Count(ReadOnlySpan<byte> measurement)
    {
        for (var i = 0; i < _counts.Count; i++)
        {
            if (measurement.SequenceEqual(_counts[i].Name))
            {
                _counts[i] = (_counts[i].Name, _counts[i].Count + 1);
                return;
            }
        }

        _counts.Add((measurement.ToArray(), 1));
    }

    private static ReadOnlySpan<byte> MeasurementOf(ReadOnlySpan<byte> seriesKey)
    {
        for (var i = 0; i < seriesKey.Length; i++)
        {
            if (seriesKey[i] == (byte)'\\')
            {
                i++;
            }
            else if (seriesKey[i] is (byte)',' or (byte)' ')
            {
                return seriesKey[..i];
            }
        }

        return seriesKey;
    }

    private static string Unescape(byte[] name) =>
        Encoding.UTF8.GetString(name).Replace("\\,", ",", StringComparison.Ordinal).Replace("\\ ", " ", StringComparison.Ordinal);
}
