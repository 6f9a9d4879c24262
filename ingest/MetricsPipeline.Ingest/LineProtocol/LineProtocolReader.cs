using System.Text;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// Reads InfluxDB line protocol from bytes, one line per <see cref="MoveNext"/>, without allocating. Blank lines
/// and comments (first non-blank byte <c>#</c>) are skipped. Each line is validated completely before
/// <see cref="MoveNext"/> returns, so a valid line enumerates without failing and a bad line yields a precise
/// <see cref="Error"/> while reading carries on with the next line; no exception escapes for any input.
/// </summary>
/// <remarks>
/// <para>Lines end at <c>\n</c> (a preceding <c>\r</c> and trailing blanks are ignored); the last line needs no
/// terminator. As in InfluxDB, a double-quoted string field value may contain raw newlines; such a line spans
/// several physical lines, and line numbers count physical lines. When a string is never closed, the line is
/// cut at the first newline after its opening quote so one bad quote cannot swallow the rest of the payload.</para>
/// <para>Syntax, as InfluxDB 1.x/2.x read it: <c>measurement[,tag=value...] field=value[,field=value...] [timestamp]</c>
/// with exactly one space between the sections (two is <c>duplicate_space</c>; InfluxDB 1.x tolerates it). In
/// names a separator right after a backslash is escaped, and a backslash before a byte escapable there
/// (measurement: comma, space; tag keys, tag values, field keys: comma, equals sign, space) stands for that byte;
/// other backslashes are literal (<c>C:\Temp</c>, <c>\\server</c>). An unescaped <c>=</c> in a tag value is an
/// error, as in InfluxDB. String values escape double quote and backslash (<c>\"</c>, <c>\\</c>). Floats: <c>-?(digits[.digits]|.digits)([eE][+-]?digits)?</c>
/// (no leading <c>+</c>); integers <c>-?digits</c> + <c>i</c>; unsigned <c>digits</c> + <c>u</c>; booleans
/// t/T/true/True/TRUE/f/F/false/False/FALSE. Timestamps are <c>-?digits</c> in the reader's precision.
/// Names are not checked for valid UTF-8 (invalid bytes decode to U+FFFD in the string getters).</para>
/// <para>Not thread-safe (it is a ref struct over the caller's buffer).</para>
/// </remarks>
public ref struct LineProtocolReader
{
    private const int MaxTokenChars = 64;

    private readonly ReadOnlySpan<byte> _payload;
    private readonly long _multiplier;
    private readonly LineProtocolLimits? _limits;
    private int _position;
    private int _nextLineNumber;

    private bool _hasCurrent;
    private bool _isValid;
    private int _lineStart;
    private int _lineLength;
    private int _lineNumber;
    private LineLayout _layout;
    private LineFailure _failure;

    /// <summary>Creates a reader over <paramref name="payload"/>.</summary>
    /// <param name="payload">One or many lines of line protocol (e.g. one Kafka message).</param>
    /// <param name="precision">The unit of the timestamps in the payload. The default is nanoseconds.</param>
    /// <param name="limits">The limits to enforce; <c>null</c> means <see cref="LineProtocolLimits.Default"/>.</param>
    public LineProtocolReader(ReadOnlySpan<byte> payload, TimestampPrecision precision = TimestampPrecision.Nanoseconds, LineProtocolLimits? limits = null)
    {
        _payload = payload;
        _multiplier = precision switch
        {
            TimestampPrecision.Microseconds => 1_000,
            TimestampPrecision.Milliseconds => 1_000_000,
            TimestampPrecision.Seconds => 1_000_000_000,
            _ => 1,
        };
        _limits = limits;
        _position = 0;
        _nextLineNumber = 1;
    }

    /// <summary>Whether the current line is valid: read <see cref="Current"/> if so, <see cref="Error"/> if not.</summary>
    public readonly bool IsValid => _hasCurrent && _isValid;

    /// <summary>The current line. Throws <see cref="InvalidOperationException"/> unless <see cref="IsValid"/>.</summary>
    public readonly ParsedLine Current => IsValid
        ? new ParsedLine(_payload.Slice(_lineStart, _lineLength), _lineNumber, _layout)
        : throw new InvalidOperationException("The current line is not valid; read Error instead.");

    /// <summary>The reason of the current line's rejection, without allocating; throws unless the current line is invalid.</summary>
    public readonly LineErrorReason ErrorReason => _hasCurrent && !_isValid
        ? _failure.Reason
        : throw new InvalidOperationException("The current line is valid; read Current instead.");

    /// <summary>
    /// Why the current line was rejected. Throws <see cref="InvalidOperationException"/> unless there is a current,
    /// invalid line. Allocates the short quoted token of the error (bad lines only).
    /// </summary>
    public readonly LineProtocolError Error
    {
        get
        {
            var reason = ErrorReason;
            var position = _lineStart + _failure.Position;
            var line = _lineNumber;
            var column = _failure.Position + 1;
            var before = _payload[_lineStart..Math.Min(position, _payload.Length)];
            var newlines = before.Count((byte)'\n');
            if (newlines > 0)
            {
                line += newlines;
                column = before.Length - before.LastIndexOf((byte)'\n');
            }

            string? token = null;
            if (_failure.Limit >= 0)
            {
                token = _failure.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (_failure.TokenLength > 0)
            {
                var bytes = _payload.Slice(_lineStart + _failure.TokenStart, _failure.TokenLength);
                token = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, MaxTokenChars)]);
                if (bytes.Length > MaxTokenChars)
                {
                    token += "...";
                }
            }

            return new LineProtocolError(line, column, reason, new Range(_lineStart, _lineStart + _lineLength), token);
        }
    }

    /// <summary>Advances to the next line that is neither blank nor a comment; false at the end of the payload.</summary>
    public bool MoveNext()
    {
        var payload = _payload;
        var length = payload.Length;
        while (_position < length)
        {
            var start = _position;
            var i = start;
            while (i < length && payload[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }

            if (i == length)
            {
                break;
            }

            var b = payload[i];
            if (b == '\n' || (b == '\r' && (i + 1 == length || payload[i + 1] == '\n')) || b == '#')
            {
                // Blank line or comment: skip to the next line without any quote handling.
                var newline = payload[i..].IndexOf((byte)'\n');
                _position = newline < 0 ? length : i + newline + 1;
                _nextLineNumber++;
                continue;
            }

            var end = FindLineEnd(payload, i, out var innerNewlines);
            _lineNumber = _nextLineNumber;
            _nextLineNumber += 1 + innerNewlines;
            _position = end < length ? end + 1 : length;

            var contentEnd = end;
            if (contentEnd > i && payload[contentEnd - 1] == '\r')
            {
                contentEnd--;
            }

            while (contentEnd > i && payload[contentEnd - 1] is (byte)' ' or (byte)'\t')
            {
                contentEnd--;
            }

            _lineStart = start;
            _lineLength = contentEnd - start;
            _hasCurrent = true;
            _isValid = LineParser.TryParse(
                payload.Slice(start, _lineLength),
                i - start,
                _multiplier,
                _limits ?? LineProtocolLimits.Default,
                out _layout,
                out _failure);
            return true;
        }

        _position = length;
        _hasCurrent = false;
        return false;
    }

    /// <summary>
    /// Finds the <c>\n</c> that ends the line starting at <paramref name="start"/> (or the payload's end),
    /// ignoring newlines inside string field values as InfluxDB does.
    /// </summary>
    private static int FindLineEnd(ReadOnlySpan<byte> payload, int start, out int innerNewlines)
    {
        innerNewlines = 0;
        var rest = payload[start..];
        var newline = rest.IndexOf((byte)'\n');
        var end = newline < 0 ? payload.Length : start + newline;
        if (payload[start..end].IndexOf((byte)'"') < 0)
        {
            return end; // the common case: no string field, so the first newline ends the line
        }

        var inFields = false;
        var afterEquals = false;
        var escaped = false;
        var quoted = false;
        var firstQuotedNewline = -1;
        var quotedNewlines = 0;
        for (var i = start; i < payload.Length; i++)
        {
            var b = payload[i];
            if (quoted)
            {
                if (b == '\\' && i + 1 < payload.Length && payload[i + 1] != '\n')
                {
                    i++;
                }
                else if (b == '"')
                {
                    quoted = false;
                    innerNewlines += quotedNewlines;
                    quotedNewlines = 0;
                }
                else if (b == '\n')
                {
                    firstQuotedNewline = firstQuotedNewline < 0 ? i : firstQuotedNewline;
                    quotedNewlines++;
                }

                continue;
            }

            if (b == '\n')
            {
                return i;
            }

            // As in the parser, a byte right after a backslash is never a separator.
            var wasEscaped = escaped;
            escaped = b == '\\';
            if (wasEscaped || escaped)
            {
                afterEquals = false;
                continue;
            }

            if (inFields && b == '"' && afterEquals)
            {
                quoted = true;
                firstQuotedNewline = -1;
                afterEquals = false;
                continue;
            }

            inFields |= b == ' ';
            afterEquals = inFields && b == '=';
        }

        if (quoted && firstQuotedNewline >= 0)
        {
            // Never closed: cut the line at the first newline inside the quote; the parser reports the quote.
            return firstQuotedNewline;
        }

        return payload.Length;
    }
}
