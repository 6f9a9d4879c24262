using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>The syntax of unquoted field values: which kind a token is, and whether it is valid.</summary>
internal static class FieldValueSyntax
{
    /// <summary>The kind of a value token already validated by <see cref="Validate"/>.</summary>
    public static FieldKind Classify(ReadOnlySpan<byte> token)
    {
        var first = token[0];
        if (first == '"')
        {
            return FieldKind.String;
        }

        if (first is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F')
        {
            return FieldKind.Boolean;
        }

        return token[^1] switch
        {
            (byte)'i' => FieldKind.Integer,
            (byte)'u' => FieldKind.UInteger,
            _ => FieldKind.Float,
        };
    }

    /// <summary>Returns 0 when <paramref name="token"/> is a valid unquoted value, else the precise reason.</summary>
    public static LineErrorReason Validate(ReadOnlySpan<byte> token, bool rejectNonFinite)
    {
        var first = token[0];
        if (first is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F')
        {
            return TryParseBoolean(token, out _) ? 0 : LineErrorReason.InvalidBoolean;
        }

        var last = token[^1];
        if (last == 'i')
        {
            return Utf8Number.TryParseInt64(token[..^1], out _) switch
            {
                Utf8Number.IntegerResult.Ok => 0,
                Utf8Number.IntegerResult.Overflow => LineErrorReason.IntegerOutOfRange,
                _ => LineErrorReason.InvalidInteger,
            };
        }

        if (last == 'u')
        {
            var body = token[..^1];
            if (body.Length > 1 && body[0] == '-')
            {
                return Utf8Number.TryParseUInt64(body[1..], out _) == Utf8Number.IntegerResult.Invalid
                    ? LineErrorReason.InvalidUnsigned
                    : LineErrorReason.NegativeUnsigned;
            }

            return Utf8Number.TryParseUInt64(body, out _) switch
            {
                Utf8Number.IntegerResult.Ok => 0,
                Utf8Number.IntegerResult.Overflow => LineErrorReason.UnsignedOutOfRange,
                _ => LineErrorReason.InvalidUnsigned,
            };
        }

        if (Utf8Number.IsFloatSyntax(token, out var mayOverflow))
        {
            return mayOverflow && rejectNonFinite && !double.IsFinite(Utf8Number.ParseDouble(token))
                ? LineErrorReason.NonFiniteFloat
                : 0;
        }

        if (Utf8Number.TryParseNonFiniteWord(token, out _))
        {
            return rejectNonFinite ? LineErrorReason.NonFiniteFloat : 0;
        }

        return first is (byte)'-' or (byte)'+' or (byte)'.' || (uint)(first - '0') <= 9
            ? LineErrorReason.InvalidFloat
            : LineErrorReason.InvalidFieldValue;
    }

    /// <summary>The spellings InfluxDB accepts: t, T, true, True, TRUE, f, F, false, False, FALSE.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<byte> token, out bool value)
    {
        value = token.Length > 0 && (token[0] == 't' || token[0] == 'T');
        return token.Length switch
        {
            1 => token[0] is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F',
            4 => token.SequenceEqual("true"u8) || token.SequenceEqual("True"u8) || token.SequenceEqual("TRUE"u8),
            5 => token.SequenceEqual("false"u8) || token.SequenceEqual("False"u8) || token.SequenceEqual("FALSE"u8),
            _ => false,
        };
    }
}
