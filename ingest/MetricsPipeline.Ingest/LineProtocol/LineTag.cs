namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>
/// One tag of a parsed line, as views over the payload (valid only while the payload is). The raw spans keep
/// line-protocol escapes (<c>\,</c> <c>\=</c> <c>\ </c>); use the unescape helpers or the string getters for the names.
/// </summary>
public readonly ref struct LineTag
{
    internal LineTag(ReadOnlySpan<byte> keyRaw, ReadOnlySpan<byte> valueRaw)
    {
        KeyRaw = keyRaw;
        ValueRaw = valueRaw;
    }

    /// <summary>The tag key as written, escapes included.</summary>
    public ReadOnlySpan<byte> KeyRaw { get; }

    /// <summary>The tag value as written, escapes included.</summary>
    public ReadOnlySpan<byte> ValueRaw { get; }

    /// <summary>The unescaped key, decoded from UTF-8. Allocates.</summary>
    public string Key => LineProtocolEscaping.ToString(KeyRaw, EscapeSet.Key);

    /// <summary>The unescaped value, decoded from UTF-8. Allocates.</summary>
    public string Value => LineProtocolEscaping.ToString(ValueRaw, EscapeSet.Key);

    /// <summary>Whether the unescaped key equals <paramref name="utf8Key"/> (UTF-8, unescaped). Allocation-free.</summary>
    public bool KeyEquals(ReadOnlySpan<byte> utf8Key) => LineProtocolEscaping.UnescapedEquals(KeyRaw, utf8Key, EscapeSet.Key);

    /// <summary>Unescapes the key into <paramref name="destination"/>; false when it is too small (<see cref="KeyRaw"/>'s length always suffices).</summary>
    public bool TryUnescapeKey(Span<byte> destination, out int written) =>
        LineProtocolEscaping.TryUnescape(KeyRaw, destination, EscapeSet.Key, out written);

    /// <summary>Unescapes the value into <paramref name="destination"/>; false when it is too small (<see cref="ValueRaw"/>'s length always suffices).</summary>
    public bool TryUnescapeValue(Span<byte> destination, out int written) =>
        LineProtocolEscaping.TryUnescape(ValueRaw, destination, EscapeSet.Key, out written);
}
