using System.Globalization;
using System.Text;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>Allocation-free number syntax checks and parsing for line-protocol values and timestamps.</summary>
internal static class Utf8Number
{
    private static readonly double[] PowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public enum IntegerResult
    {
        Ok,
        Invalid,
        Overflow,
    }

    /// <summary>Parses <c>-?[0-9]+</c> into a signed 64-bit integer.</summary>
    public static IntegerResult TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0)
        {
            return IntegerResult.Invalid;
        }

        if (digits.Length <= 18)
        {
            // Up to 18 digits cannot overflow, so the common case needs no range checks.
            long small = 0;
            foreach (var b in digits)
            {
                var d = (uint)(b - '0');
                if (d > 9)
                {
                    return IntegerResult.Invalid;
                }

                small = (small * 10) + d;
            }

            value = negative ? -small : small;
            return IntegerResult.Ok;
        }

        if (digits.Length == 19)
        {
            // Nanosecond timestamps have 19 digits: the first 18 cannot overflow, and only the last one needs a
            // range check (against 922337203685477580·10 + 7, or + 8 for a negative number).
            long head = 0;
            for (var k = 0; k < 18; k++)
            {
                var d = (uint)(digits[k] - '0');
                if (d > 9)
                {
                    return IntegerResult.Invalid;
                }

                head = (head * 10) + d;
            }

            var lastDigit = (uint)(digits[18] - '0');
            if (lastDigit > 9)
            {
                return IntegerResult.Invalid;
            }

            const long Limit = long.MaxValue / 10;
            if (head > Limit || (head == Limit && lastDigit > (negative ? 8u : 7u)))
            {
                return IntegerResult.Overflow;
            }

            value = negative ? unchecked(-((head * 10) + lastDigit)) : (head * 10) + lastDigit;
            return IntegerResult.Ok;
        }

        // Accumulate as a negative number so that long.MinValue is representable.
        long acc = 0;
        var overflow = false;
        foreach (var b in digits)
        {
            var d = b - '0';
            if ((uint)d > 9)
            {
                return IntegerResult.Invalid;
            }

            if (acc < (long.MinValue + d) / 10)
            {
                overflow = true;
            }

            acc = unchecked((acc * 10) - d);
        }

        if (overflow || (!negative && acc == long.MinValue))
        {
            return IntegerResult.Overflow;
        }

        value = negative ? acc : -acc;
        return IntegerResult.Ok;
    }

    /// <summary>Parses <c>[0-9]+</c> into an unsigned 64-bit integer.</summary>
    public static IntegerResult TryParseUInt64(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return IntegerResult.Invalid;
        }

        ulong acc = 0;
        var overflow = false;
        foreach (var b in text)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                return IntegerResult.Invalid;
            }

            if (acc > (ulong.MaxValue - d) / 10)
            {
                overflow = true;
            }

            acc = unchecked((acc * 10) + d);
        }

        if (overflow)
        {
            return IntegerResult.Overflow;
        }

        value = acc;
        return IntegerResult.Ok;
    }

    /// <summary>
    /// Checks the float grammar InfluxDB accepts: <c>-?(digits(.digits*)?|.digits)([eE][+-]?digits)?</c>.
    /// <paramref name="mayOverflow"/> is set when the magnitude might exceed <see cref="double.MaxValue"/>,
    /// so only those rare literals need a full parse to decide finiteness.
    /// </summary>
    public static bool IsFloatSyntax(ReadOnlySpan<byte> text, out bool mayOverflow)
    {
        mayOverflow = false;
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        var intDigits = 0;
        var significantIntDigits = 0;
        while (i < text.Length && IsDigit(text[i]))
        {
            if (significantIntDigits > 0 || text[i] != '0')
            {
                significantIntDigits++;
            }

            intDigits++;
            i++;
        }

        var fracDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && IsDigit(text[i]))
            {
                fracDigits++;
                i++;
            }
        }

        if (intDigits + fracDigits == 0)
        {
            return false;
        }

        long exponent = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            var negativeExponent = false;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                negativeExponent = text[i] == '-';
                i++;
            }

            var expDigits = 0;
            while (i < text.Length && IsDigit(text[i]))
            {
                exponent = Math.Min((exponent * 10) + (text[i] - '0'), 1_000_000);
                expDigits++;
                i++;
            }

            if (expDigits == 0)
            {
                return false;
            }

            if (negativeExponent)
            {
                exponent = -exponent;
            }
        }

        if (i != text.Length)
        {
            return false;
        }

        // |x| < 10^(significantIntDigits + exponent); doubles are finite below ~1.8e308.
        mayOverflow = significantIntDigits + exponent > 308 || (significantIntDigits == 0 && exponent > 308);
        return true;
    }

    /// <summary>Recognises the non-finite spellings NaN, inf, infinity (any case, optional sign on inf).</summary>
    public static bool TryParseNonFiniteWord(ReadOnlySpan<byte> text, out double value)
    {
        value = double.NaN;
        if (text.Length is < 3 or > 9)
        {
            return false;
        }

        if (Ascii.EqualsIgnoreCase(text, "nan"u8))
        {
            return true;
        }

        var sign = 1.0;
        if (text[0] == '-' || text[0] == '+')
        {
            sign = text[0] == '-' ? -1 : 1;
            text = text[1..];
        }

        if (Ascii.EqualsIgnoreCase(text, "inf"u8) || Ascii.EqualsIgnoreCase(text, "infinity"u8))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        return false;
    }

    /// <summary>Parses a literal that passed <see cref="IsFloatSyntax"/> (or a non-finite word), correctly rounded.</summary>
    public static double ParseDouble(ReadOnlySpan<byte> text)
    {
        if (TryFastPath(text, out var fast))
        {
            return fast;
        }

        if (TryParseNonFiniteWord(text, out var word))
        {
            return word;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
    }

    // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 22 are both exact doubles, so one IEEE
    // multiplication or division gives the correctly rounded result. Covers nearly every metric value.
    private static bool TryFastPath(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == '-')
        {
            negative = true;
            i++;
        }

        ulong mantissa = 0;
        var digits = 0;
        var scale = 0;
        var seenDot = false;
        var any = false;
        for (; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '.' && !seenDot)
            {
                seenDot = true;
                continue;
            }

            var d = (uint)(b - '0');
            if (d > 9)
            {
                return false; // exponent or something unusual: take the general path
            }

            any = true;
            if (mantissa != 0 || d != 0)
            {
                digits++;
            }

            if (digits > 15)
            {
                return false;
            }

            mantissa = (mantissa * 10) + d;
            if (seenDot)
            {
                scale++;
            }
        }

        if (!any || scale > 22)
        {
            return false;
        }

        var result = scale == 0 ? mantissa : mantissa / PowersOf10[scale];
        value = negative ? -result : result;
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
