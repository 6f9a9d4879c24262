using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// A validated line-protocol line, as views over the payload it came from (valid only while that payload is).
/// Enumerating its tags and fields cannot fail and does not allocate.
/// </summary>
public readonly ref struct ParsedLine
{
    private readonly LineLayout _layout;

    internal ParsedLine(ReadOnlySpan<byte> rawLine, int lineNumber, LineLayout layout)
    {
        RawLine = rawLine;
        LineNumber = lineNumber;
        _layout = layout;
    }

    /// <summary>The whole line as it appears in the payload, without its terminator (<c>\n</c> or <c>\r\n</c>) or trailing blanks.</summary>
    public ReadOnlySpan<byte> RawLine { get; }

    /// <summary>The 1-based physical line number of the line's first byte in the payload.</summary>
    public int LineNumber { get; }

    /// <summary>
    /// The raw, still-escaped measurement and tag set: everything before the first unescaped space. Lines of the
    /// same series written with the same tag order share these bytes; see <see cref="TagsSorted"/>.
    /// </summary>
    public ReadOnlySpan<byte> SeriesKey => RawLine[_layout.MeasurementStart.._layout.SeriesKeyEnd];

    /// <summary>The measurement as written, escapes (<c>\,</c> <c>\ </c>) included.</summary>
    public ReadOnlySpan<byte> MeasurementRaw => RawLine[_layout.MeasurementStart.._layout.MeasurementEnd];

    /// <summary>The unescaped measurement, decoded from UTF-8. Allocates.</summary>
    public string Measurement => LineProtocolEscaping.ToString(MeasurementRaw, EscapeSet.Measurement);

    /// <summary>Whether the tag keys are in ascending ordinal order of their raw bytes (true with no or one tag).</summary>
    public bool TagsSorted => _layout.TagsSorted;

    /// <summary>The number of tags.</summary>
    public int TagCount => _layout.TagCount;

    /// <summary>The number of fields (at least one).</summary>
    public int FieldCount => _layout.FieldCount;

    /// <summary>The tags, in the order written.</summary>
    public TagEnumerator Tags => new(RawLine[_layout.MeasurementEnd.._layout.SeriesKeyEnd], _layout.TagCount);

    /// <summary>The fields, in the order written.</summary>
    public FieldEnumerator Fields => new(RawLine[_layout.FieldsStart.._layout.FieldsEnd], _layout.FieldCount);

    /// <summary>Whether the line carries a timestamp.</summary>
    public bool HasTimestamp => _layout.HasTimestamp;

    /// <summary>The timestamp in Unix nanoseconds, converted from the reader's precision; 0 when <see cref="HasTimestamp"/> is false.</summary>
    public long TimestampNs => _layout.TimestampNs;

    /// <summary>Builds the allocating <see cref="MetricPoint"/> form (unescaped names, tags in the order written).</summary>
    public MetricPoint ToMetricPoint()
    {
        var tags = new List<KeyValuePair<string, string>>(_layout.TagCount);
        foreach (var tag in Tags)
        {
            tags.Add(new(tag.Key, tag.Value));
        }

        var fields = new List<KeyValuePair<string, FieldValue>>(_layout.FieldCount);
        foreach (var field in Fields)
        {
            fields.Add(new(field.Key, field.ToFieldValue()));
        }

        return new MetricPoint(Measurement, tags, fields, HasTimestamp ? TimestampNs : null);
    }
}
