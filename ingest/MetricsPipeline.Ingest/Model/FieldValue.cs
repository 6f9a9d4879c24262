using System.Globalization;

namespace MetricsPipeline.Ingest.Model;

/// <summary>
/// One field value of a metric point. A small immutable value type; only string fields hold a reference.
/// </summary>
public readonly record struct FieldValue
{
    private readonly long _bits;
    private readonly string? _text;

    private FieldValue(FieldKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>The value's type.</summary>
    public FieldKind Kind { get; }

    /// <summary>Creates a float field.</summary>
    public static FieldValue FromDouble(double value) => new(FieldKind.Float, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>Creates a signed integer field.</summary>
    public static FieldValue FromInt64(long value) => new(FieldKind.Integer, value, null);

    /// <summary>Creates an unsigned integer field.</summary>
    public static FieldValue FromUInt64(ulong value) => new(FieldKind.UInteger, unchecked((long)value), null);

    /// <summary>Creates a boolean field.</summary>
    public static FieldValue FromBoolean(bool value) => new(FieldKind.Boolean, value ? 1 : 0, null);

    /// <summary>Creates a string field.</summary>
    public static FieldValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(FieldKind.String, 0, value);
    }

    /// <summary>The float value; valid when <see cref="Kind"/> is <see cref="FieldKind.Float"/>.</summary>
    public double AsDouble => BitConverter.Int64BitsToDouble(_bits);

    /// <summary>The signed integer value; valid when <see cref="Kind"/> is <see cref="FieldKind.Integer"/>.</summary>
    public long AsInt64 => _bits;

    /// <summary>The unsigned integer value; valid when <see cref="Kind"/> is <see cref="FieldKind.UInteger"/>.</summary>
    public ulong AsUInt64 => unchecked((ulong)_bits);

    /// <summary>The boolean value; valid when <see cref="Kind"/> is <see cref="FieldKind.Boolean"/>.</summary>
    public bool AsBoolean => _bits != 0;

    /// <summary>The string value; valid when <see cref="Kind"/> is <see cref="FieldKind.String"/>.</summary>
    public string AsString => _text ?? string.Empty;

    /// <summary>
    /// The value as a number for aggregation: floats and integers as themselves, booleans as 0/1;
    /// <c>false</c> for strings.
    /// </summary>
    public bool TryGetNumber(out double value)
    {
        switch (Kind)
        {
            case FieldKind.Float: value = AsDouble; return true;
            case FieldKind.Integer: value = AsInt64; return true;
            case FieldKind.UInteger: value = AsUInt64; return true;
            case FieldKind.Boolean: value = AsBoolean ? 1 : 0; return true;
            default: value = 0; return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FieldKind.Float => AsDouble.ToString("R", CultureInfo.InvariantCulture),
        FieldKind.Integer => AsInt64.ToString(CultureInfo.InvariantCulture) + "i",
        FieldKind.UInteger => AsUInt64.ToString(CultureInfo.InvariantCulture) + "u",
        FieldKind.Boolean => AsBoolean ? "true" : "false",
        _ => "\"" + AsString + "\"",
    };
}
