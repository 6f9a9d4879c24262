using System.Buffers;
using System.Text;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>Which characters a backslash escapes in a given part of a line.</summary>
internal enum EscapeSet
{
    /// <summary>Measurement names: comma and space.</summary>
    Measurement,

    /// <summary>Tag keys, tag values and field keys: comma, equals sign and space.</summary>
    Key,

    /// <summary>String field values: double quote and backslash.</summary>
    String,
}

/// <summary>
/// Unescaping of raw line-protocol tokens, as InfluxDB does it: a backslash followed by a byte of the part's
/// escape set stands for that byte; any other backslash is literal (<c>C:\Temp</c> and <c>\\server</c> keep
/// their backslashes, and <c>a\\,b</c> in a name reads as <c>a\,b</c>).
/// </summary>
internal static class LineProtocolEscaping
{
    private const int StackLimit = 256;

    public static bool IsEscapable(byte b, EscapeSet set) => set switch
    {
        EscapeSet.Measurement => b is (byte)',' or (byte)' ',
        EscapeSet.Key => b is (byte)',' or (byte)'=' or (byte)' ',
        _ => b is (byte)'"' or (byte)'\\',
    };

    /// <summary>Unescapes <paramref name="raw"/> into <paramref name="destination"/>; false when it does not fit.</summary>
    public static bool TryUnescape(ReadOnlySpan<byte> raw, Span<byte> destination, EscapeSet set, out int written)
    {
        written = 0;
        var first = raw.IndexOf((byte)'\\');
        if (first < 0)
        {
            if (raw.Length > destination.Length)
            {
                return false;
            }

            raw.CopyTo(destination);
            written = raw.Length;
            return true;
        }

        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '\\' && i + 1 < raw.Length && IsEscapable(raw[i + 1], set))
            {
                b = raw[++i];
            }

            if (n >= destination.Length)
            {
                return false;
            }

            destination[n++] = b;
        }

        written = n;
        return true;
    }

    /// <summary>Unescapes and decodes UTF-8 (invalid sequences become U+FFFD). Allocates the string.</summary>
    public static string ToString(ReadOnlySpan<byte> raw, EscapeSet set)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(raw);
        }

        byte[]? rented = null;
        Span<byte> buffer = raw.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        TryUnescape(raw, buffer, set, out var written);
        var text = Encoding.UTF8.GetString(buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return text;
    }

    /// <summary>Whether <paramref name="raw"/>, unescaped, equals <paramref name="unescaped"/>; allocation-free.</summary>
    public static bool UnescapedEquals(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> unescaped, EscapeSet set)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return raw.SequenceEqual(unescaped);
        }

        var j = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '\\' && i + 1 < raw.Length && IsEscapable(raw[i + 1], set))
            {
                b = raw[++i];
            }

            if (j >= unescaped.Length || unescaped[j] != b)
            {
                return false;
            }

            j++;
        }

        return j == unescaped.Length;
    }
}
