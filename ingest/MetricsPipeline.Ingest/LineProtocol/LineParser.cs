using System.Buffers;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Validates one line completely (names, every field value, the timestamp) and records where its parts are, so
/// that enumerating a valid line later can never fail. Works on the line alone: offsets are relative to it.
/// </summary>
internal static class LineParser
{
    private static readonly SearchValues<byte> MeasurementStops = SearchValues.Create(", "u8);
    private static readonly SearchValues<byte> KeyStops = SearchValues.Create(",= "u8);
    private static readonly SearchValues<byte> StringStops = SearchValues.Create("\"\\"u8);

    /// <summary>Parses <paramref name="line"/> (no terminator, no trailing whitespace) from <paramref name="start"/>, its first non-blank byte.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> line,
        int start,
        long multiplier,
        LineProtocolLimits limits,
        out LineLayout layout,
        out LineFailure failure)
    {
        layout = default;
        failure = default;
        var n = line.Length;
        if (n > limits.MaxLineBytes)
        {
            return FailLimit(ref failure, LineErrorReason.LineTooLong, limits.MaxLineBytes, limits.MaxLineBytes);
        }

        var i = start;
        if (line[i] == ',')
        {
            return Fail(ref failure, LineErrorReason.MissingMeasurement, i);
        }

        layout.MeasurementStart = i;
        i = ScanName(line, i, MeasurementStops);
        layout.MeasurementEnd = i;

        if (!TryParseTags(line, ref i, limits, ref layout, ref failure))
        {
            return false;
        }

        if (i >= n)
        {
            return Fail(ref failure, LineErrorReason.MissingFields, n);
        }

        layout.SeriesKeyEnd = i;
        i++; // the space before the field set
        if (i >= n)
        {
            return Fail(ref failure, LineErrorReason.MissingFields, i);
        }

        if (line[i] == ' ')
        {
            return Fail(ref failure, LineErrorReason.DuplicateSpace, i);
        }

        layout.FieldsStart = i;
        if (!TryParseFields(line, ref i, limits, ref layout, ref failure))
        {
            return false;
        }

        layout.FieldsEnd = i;
        return i >= n || TryParseTimestamp(line, i + 1, multiplier, limits, ref layout, ref failure);
    }

    private static bool TryParseTags(ReadOnlySpan<byte> line, ref int i, LineProtocolLimits limits, ref LineLayout layout, ref LineFailure failure)
    {
        var n = line.Length;
        var sorted = true;
        var previousKey = ReadOnlySpan<byte>.Empty;
        var count = 0;
        while (i < n && line[i] == ',')
        {
            var keyStart = ++i;
            i = ScanName(line, i, KeyStops);
            if (i == keyStart)
            {
                return Fail(ref failure, LineErrorReason.MissingTagKey, keyStart);
            }

            if (i >= n || line[i] != '=')
            {
                return Fail(ref failure, LineErrorReason.MissingTagEquals, i, keyStart, i - keyStart);
            }

            var key = line[keyStart..i];
            var valueStart = ++i;
            i = ScanName(line, i, KeyStops);
            if (i == valueStart)
            {
                return Fail(ref failure, LineErrorReason.MissingTagValue, valueStart, keyStart, key.Length);
            }

            if (i < n && line[i] == '=')
            {
                // InfluxDB rejects this too ("invalid tag format"); usually a missing comma or a missing escape.
                return Fail(ref failure, LineErrorReason.UnescapedEqualsInTagValue, i, keyStart, key.Length);
            }

            if (++count > limits.MaxTags)
            {
                return FailLimit(ref failure, LineErrorReason.TooManyTags, keyStart, limits.MaxTags);
            }

            if (sorted && count > 1 && previousKey.SequenceCompareTo(key) > 0)
            {
                sorted = false;
            }

            previousKey = key;
        }

        layout.TagCount = count;
        layout.TagsSorted = sorted;
        return true;
    }

    private static bool TryParseFields(ReadOnlySpan<byte> line, ref int i, LineProtocolLimits limits, ref LineLayout layout, ref LineFailure failure)
    {
        var n = line.Length;
        var count = 0;
        while (true)
        {
            var keyStart = i;
            i = ScanName(line, i, KeyStops);
            if (i == keyStart)
            {
                return Fail(ref failure, LineErrorReason.MissingFieldKey, keyStart);
            }

            if (i >= n || line[i] != '=')
            {
                return Fail(ref failure, LineErrorReason.MissingFieldEquals, i, keyStart, i - keyStart);
            }

            var keyLength = i - keyStart;
            var valueStart = ++i;
            if (i >= n || line[i] == ',' || line[i] == ' ')
            {
                return Fail(ref failure, LineErrorReason.MissingFieldValue, valueStart, keyStart, keyLength);
            }

            if (line[i] == '"')
            {
                i = ScanString(line, i + 1);
                if (i < 0)
                {
                    return Fail(ref failure, LineErrorReason.UnterminatedString, valueStart, valueStart, n - valueStart);
                }

                i++;
                if (i < n && line[i] != ',' && line[i] != ' ')
                {
                    return Fail(ref failure, LineErrorReason.InvalidStringField, i, i, 1);
                }
            }
            else
            {
                var end = line[i..].IndexOfAny((byte)',', (byte)' ');
                i = end < 0 ? n : i + end;
                var reason = FieldValueSyntax.Validate(line[valueStart..i], limits.RejectNonFinite);
                if (reason != 0)
                {
                    return Fail(ref failure, reason, valueStart, valueStart, i - valueStart);
                }
            }

            if (++count > limits.MaxFields)
            {
                return FailLimit(ref failure, LineErrorReason.TooManyFields, keyStart, limits.MaxFields);
            }

            if (i >= n || line[i] == ' ')
            {
                layout.FieldCount = count;
                return true;
            }

            i++; // the comma
        }
    }

    private static bool TryParseTimestamp(ReadOnlySpan<byte> line, int i, long multiplier, LineProtocolLimits limits, ref LineLayout layout, ref LineFailure failure)
    {
        var n = line.Length;
        if (i >= n)
        {
            return true; // unreachable with trailing whitespace trimmed, kept for safety
        }

        if (line[i] == ' ')
        {
            return Fail(ref failure, LineErrorReason.DuplicateSpace, i);
        }

        var start = i;
        var space = line[i..].IndexOf((byte)' ');
        var end = space < 0 ? n : i + space;
        if (end < n)
        {
            var garbage = end;
            while (line[garbage] == ' ')
            {
                garbage++; // trailing whitespace is trimmed, so something non-blank follows
            }

            return Fail(ref failure, LineErrorReason.TrailingGarbage, garbage, garbage, n - garbage);
        }

        var token = line[start..end];
        switch (Utf8Number.TryParseInt64(token, out var raw))
        {
            case Utf8Number.IntegerResult.Invalid:
                return Fail(ref failure, LineErrorReason.InvalidTimestamp, start, start, token.Length);
            case Utf8Number.IntegerResult.Overflow:
                return Fail(ref failure, LineErrorReason.TimestampOutOfRange, start, start, token.Length);
        }

        // One widening multiply instead of divisions: the product fits when the high half is the sign of the low.
        var high = Math.BigMul(raw, multiplier, out long ns);
        if (high != (ns >> 63))
        {
            return Fail(ref failure, LineErrorReason.TimestampOutOfRange, start, start, token.Length);
        }

        if (ns < limits.MinTimestampNs || ns > limits.MaxTimestampNs)
        {
            return Fail(ref failure, LineErrorReason.TimestampOutOfRange, start, start, token.Length);
        }

        layout.HasTimestamp = true;
        layout.TimestampNs = ns;
        return true;
    }

    /// <summary>
    /// Returns the index of the first stop byte at or after <paramref name="i"/> not directly preceded by a backslash,
    /// or the line length. (A backslash does not pair up: in <c>a\\,b</c> the comma is escaped, as in InfluxDB.)
    /// </summary>
    internal static int ScanName(ReadOnlySpan<byte> line, int i, SearchValues<byte> stops)
    {
        while (i < line.Length)
        {
            var hit = line[i..].IndexOfAny(stops);
            if (hit < 0)
            {
                return line.Length;
            }

            i += hit;
            if (i == 0 || line[i - 1] != '\\')
            {
                return i;
            }

            i++; // escaped by the backslash right before it, as InfluxDB reads it
        }

        return line.Length;
    }

    /// <summary>Returns the index of the closing quote of a string starting at <paramref name="i"/> (after the opening quote), or -1.</summary>
    internal static int ScanString(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length)
        {
            var hit = line[i..].IndexOfAny(StringStops);
            if (hit < 0)
            {
                return -1;
            }

            i += hit;
            if (line[i] == '"')
            {
                return i;
            }

            i += 2;
        }

        return -1;
    }

    internal static SearchValues<byte> MeasurementStopValues => MeasurementStops;

    internal static SearchValues<byte> KeyStopValues => KeyStops;

    private static bool Fail(ref LineFailure failure, LineErrorReason reason, int position, int tokenStart = 0, int tokenLength = 0)
    {
        failure = new LineFailure { Reason = reason, Position = position, TokenStart = tokenStart, TokenLength = tokenLength, Limit = -1 };
        return false;
    }

    private static bool FailLimit(ref LineFailure failure, LineErrorReason reason, int position, long limit)
    {
        failure = new LineFailure { Reason = reason, Position = position, Limit = limit };
        return false;
    }
}
