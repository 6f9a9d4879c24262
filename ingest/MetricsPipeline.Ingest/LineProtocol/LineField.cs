using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// One field of a parsed line, as views over the payload (valid only while the payload is). Numbers are parsed
/// from the bytes on each access of <see cref="Double"/>, <see cref="Int64"/>, ... (allocation-free); read once.
/// Reading a value of another kind than <see cref="Kind"/> throws <see cref="InvalidOperationException"/>.
/// </summary>
public readonly ref struct LineField
{
    private readonly ReadOnlySpan<byte> _value;

    internal LineField(ReadOnlySpan<byte> keyRaw, ReadOnlySpan<byte> value)
    {
        KeyRaw = keyRaw;
        _value = value;
        Kind = FieldValueSyntax.Classify(value);
    }

    /// <summary>The field key as written, escapes included.</summary>
    public ReadOnlySpan<byte> KeyRaw { get; }

    /// <summary>The unescaped key, decoded from UTF-8. Allocates.</summary>
    public string Key => LineProtocolEscaping.ToString(KeyRaw, EscapeSet.Key);

    /// <summary>The value's type.</summary>
    public FieldKind Kind { get; }

    /// <summary>The value as written: digits and suffix, a boolean word, or the quoted string including its quotes.</summary>
    public ReadOnlySpan<byte> ValueRaw => _value;

    /// <summary>The float value (NaN/±infinity only when the reader's limits allow them).</summary>
    public double Double => Kind == FieldKind.Float ? Utf8Number.ParseDouble(_value) : throw WrongKind(FieldKind.Float);

    /// <summary>The signed integer value (<c>i</c> suffix).</summary>
    public long Int64
    {
        get
        {
            if (Kind != FieldKind.Integer)
            {
                throw WrongKind(FieldKind.Integer);
            }

            Utf8Number.TryParseInt64(_value[..^1], out var value);
            return value;
        }
    }

    /// <summary>The unsigned integer value (<c>u</c> suffix).</summary>
    public ulong UInt64
    {
        get
        {
            if (Kind != FieldKind.UInteger)
            {
                throw WrongKind(FieldKind.UInteger);
            }

            Utf8Number.TryParseUInt64(_value[..^1], out var value);
            return value;
        }
    }

    /// <summary>The boolean value.</summary>
    public bool Boolean => Kind == FieldKind.Boolean ? _value[0] is (byte)'t' or (byte)'T' : throw WrongKind(FieldKind.Boolean);

    /// <summary>The string value between the quotes, escapes (<c>\"</c>, <c>\\</c>) included.</summary>
    public ReadOnlySpan<byte> StringRaw => Kind == FieldKind.String ? _value[1..^1] : throw WrongKind(FieldKind.String);

    /// <summary>The unescaped string value, decoded from UTF-8. Allocates.</summary>
    public string GetString() => LineProtocolEscaping.ToString(StringRaw, EscapeSet.String);

    /// <summary>Unescapes the string value into <paramref name="destination"/>; false when it is too small (<see cref="StringRaw"/>'s length always suffices).</summary>
    public bool TryUnescapeString(Span<byte> destination, out int written) =>
        LineProtocolEscaping.TryUnescape(StringRaw, destination, EscapeSet.String, out written);

    /// <summary>Whether the unescaped key equals <paramref name="utf8Key"/> (UTF-8, unescaped). Allocation-free.</summary>
    public bool KeyEquals(ReadOnlySpan<byte> utf8Key) => LineProtocolEscaping.UnescapedEquals(KeyRaw, utf8Key, EscapeSet.Key);

    /// <summary>
    /// The value as a number for aggregation: floats and integers as themselves, booleans as 0/1; <c>false</c>
    /// for strings. Same rules as <see cref="FieldValue.TryGetNumber"/>.
    /// </summary>
    public bool TryGetNumber(out double value)
    {
        switch (Kind)
        {
            case FieldKind.Float: value = Double; return true;
            case FieldKind.Integer: value = Int64; return true;
            case FieldKind.UInteger: value = UInt64; return true;
            case FieldKind.Boolean: value = Boolean ? 1 : 0; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>The value as a <see cref="FieldValue"/>; allocates only for strings.</summary>
    public FieldValue ToFieldValue() => Kind switch
    {
        FieldKind.Float => FieldValue.FromDouble(Double),
        FieldKind.Integer => FieldValue.FromInt64(Int64),
        FieldKind.UInteger => FieldValue.FromUInt64(UInt64),
        FieldKind.Boolean => FieldValue.FromBoolean(Boolean),
        _ => FieldValue.FromString(GetString()),
    };

    private InvalidOperationException WrongKind(FieldKind wanted) =>
        new($"The field is {Kind}, not {wanted}; check Kind first.");
}
