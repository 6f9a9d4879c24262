using System.Buffers;
using System.Buffers.Text;
using System.Text;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Serialises <see cref="MetricPoint"/>s to InfluxDB line protocol, applying every escaping rule:
/// measurement (comma, space), tag keys/values and field keys (comma, equals sign, space), string field
/// values (double quote, backslash). Tags are written sorted by key, as InfluxDB recommends.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Line protocol has no escape for a backslash itself outside string values, and a separator right after a
/// backslash is escaped. So a name ending with a backslash cannot be written faithfully, nor can a measurement
/// starting with <c>#</c> (it would read as a comment); <see cref="Write"/> rejects those with an <see cref="ArgumentException"/> instead of writing a line
/// that reads back differently. Newlines, carriage returns and tabs in names are written as <c>_</c>. String field
/// values can hold anything, raw newlines included.
/// </remarks>
public static class LineProtocolWriter
{
    /// <summary>Writes one point followed by <c>\n</c>.</summary>
    /// <param name="point">The point; it must have at least one field.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="precision">The unit in which to write the timestamp. The default is nanoseconds.</param>
    /// <exception cref="ArgumentException">
    /// The point has no field, an empty measurement or key, a non-finite float, or a name line protocol cannot
    /// represent (see the remarks on <see cref="LineProtocolWriter"/>).
    /// </exception>
    public static void Write(MetricPoint point, IBufferWriter<byte> output, TimestampPrecision precision = TimestampPrecision.Nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(output);

        // Validate everything first: throwing half-way would leave a partial line in the caller's buffer.
        Validate(point);

        WriteEscaped(output, point.Measurement, EscapeContext.Measurement);
        var tags = point.Tags;
        if (tags.Count > 0)
        {
            // Sort indices rather than the list so a point costs no allocation (up to 64 tags on the stack).
            Span<int> order = tags.Count <= 64 ? stackalloc int[tags.Count] : new int[tags.Count];
            SortByKey(tags, order);
            foreach (var index in order)
            {
                var tag = tags[index];
                if (tag.Value.Length == 0)
                {
                    continue; // InfluxDB drops tags with empty values; writing "k=" would be a parse error.
                }

                WriteByte(output, (byte)',');
                WriteEscaped(output, tag.Key, EscapeContext.Key);
                WriteByte(output, (byte)'=');
                WriteEscaped(output, tag.Value, EscapeContext.Key);
            }
        }

        WriteByte(output, (byte)' ');
        var fields = point.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                WriteByte(output, (byte)',');
            }

            var field = fields[i];
            WriteEscaped(output, field.Key, EscapeContext.Key);
            WriteByte(output, (byte)'=');
            WriteFieldValue(output, field.Value);
        }

        if (point.TimestampNs is long ns)
        {
            WriteByte(output, (byte)' ');
            WriteInt64(output, ToPrecision(ns, precision));
        }

        WriteByte(output, (byte)'\n');
    }

    private static void Validate(MetricPoint point)
    {
        if (string.IsNullOrEmpty(point.Measurement))
        {
            throw new ArgumentException("A point needs a measurement name.", nameof(point));
        }

        if (point.Fields.Count == 0)
        {
            throw new ArgumentException($"Point '{point.Measurement}' has no field; line protocol needs at least one.", nameof(point));
        }

        if (point.Measurement[0] == '#')
        {
            throw new ArgumentException($"Measurement '{point.Measurement}' starts with '#', which line protocol reads as a comment.", nameof(point));
        }

        RequireRepresentable(point.Measurement);
        var tags = point.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Value.Length > 0)
            {
                RequireKey(tags[i].Key, point);
                RequireRepresentable(tags[i].Key);
                RequireRepresentable(tags[i].Value);
            }
        }

        var fields = point.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            RequireKey(fields[i].Key, point);
            RequireRepresentable(fields[i].Key);
            if (fields[i].Value.Kind == FieldKind.Float && !double.IsFinite(fields[i].Value.AsDouble))
            {
                throw new ArgumentException($"Field '{fields[i].Key}' of '{point.Measurement}' is {fields[i].Value.AsDouble}; line protocol cannot carry it.", nameof(point));
            }
        }
    }

    // A stable insertion sort of indices by ordinal key: tag sets are small and usually already sorted.
    private static void SortByKey(IReadOnlyList<KeyValuePair<string, string>> tags, Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            var j = i;
            while (j > 0 && string.CompareOrdinal(tags[order[j - 1]].Key, tags[i].Key) > 0)
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = i;
        }
    }

    /// <summary>Serialises one point to a string (including the trailing <c>\n</c>); convenient in tests and tools.</summary>
    public static string ToLine(MetricPoint point, TimestampPrecision precision = TimestampPrecision.Nanoseconds)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        Write(point, buffer, precision);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Converts a nanosecond timestamp to <paramref name="precision"/>, truncating toward negative infinity.</summary>
    public static long ToPrecision(long timestampNs, TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => timestampNs,
        TimestampPrecision.Microseconds => FloorDiv(timestampNs, 1_000),
        TimestampPrecision.Milliseconds => FloorDiv(timestampNs, 1_000_000),
        TimestampPrecision.Seconds => FloorDiv(timestampNs, 1_000_000_000),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static void WriteFieldValue(IBufferWriter<byte> output, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Float:
                WriteDouble(output, value.AsDouble);
                break;
            case FieldKind.Integer:
                WriteInt64(output, value.AsInt64);
                WriteByte(output, (byte)'i');
                break;
            case FieldKind.UInteger:
                var span = output.GetSpan(24);
                Utf8Formatter.TryFormat(value.AsUInt64, span, out var written);
                span[written++] = (byte)'u';
                output.Advance(written);
                break;
            case FieldKind.Boolean:
                WriteAscii(output, value.AsBoolean ? "true" : "false");
                break;
            default:
                WriteByte(output, (byte)'"');
                WriteEscaped(output, value.AsString, EscapeContext.StringField);
                WriteByte(output, (byte)'"');
                break;
        }
    }

    private static void WriteDouble(IBufferWriter<byte> output, double value)
    {
        var span = output.GetSpan(32);
        // "R" round-trips; InfluxDB accepts exponent notation.
        value.TryFormat(span, out var written, "R", System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(24);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }

    private enum EscapeContext
    {
        Measurement,
        Key,
        StringField,
    }

    private static void RequireKey(string key, MetricPoint point)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"Point '{point.Measurement}' has an empty tag or field key.", nameof(point));
        }
    }

    private static bool MustEscape(int c, EscapeContext context) => context switch
    {
        EscapeContext.Measurement => c is ',' or ' ',
        EscapeContext.Key => c is ',' or '=' or ' ',
        _ => c is '"' or '\\',
    };

    // A separator right after a backslash reads as escaped, and a backslash has no escape of its own, so a name
    // ending with one would swallow the separator that follows it.
    private static void RequireRepresentable(string text)
    {
        if (text.Length > 0 && text[^1] == '\\')
        {
            throw new ArgumentException($"'{text}' cannot be written in line protocol: it ends with a backslash, which has no escape.", nameof(text));
        }
    }

    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", \\\n\r\t");
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= \\\n\r\t");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");

    private static void WriteEscaped(IBufferWriter<byte> output, string text, EscapeContext context)
    {
        var specials = context switch
        {
            EscapeContext.Measurement => MeasurementSpecials,
            EscapeContext.Key => KeySpecials,
            _ => StringSpecials,
        };
        if (!text.AsSpan().ContainsAny(specials))
        {
            // The common case: nothing to escape or replace, so transcode in one go.
            var plain = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            output.Advance(Encoding.UTF8.GetBytes(text, plain));
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(text.Length) * 2;
        var span = output.GetSpan(max);
        var n = 0;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (MustEscape(c, context))
            {
                span[n++] = (byte)'\\';
            }

            if (context != EscapeContext.StringField && c is '\n' or '\r' or '\t')
            {
                // Newlines end a line in line protocol and cannot be escaped in names; a tab would be read as
                // whitespace by some parsers. Replace them so the output always parses.
                span[n++] = (byte)'_';
                continue;
            }

            var len = rune.EncodeToUtf8(utf8);
            utf8[..len].CopyTo(span[n..]);
            n += len;
        }

        output.Advance(n);
    }
}
