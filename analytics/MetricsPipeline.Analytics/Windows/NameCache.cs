namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Shares the low-cardinality names of series — measurements, tag keys, field keys and names — between series, so a
/// million series of one measurement hold one "cpu" string instead of a million copies (about 120 bytes per series
/// for a typical one-tag, one-field series). Tag values, the high-cardinality part, are not shared. Holds at most
/// <see cref="Capacity"/> names of each kind; beyond that names are simply not shared (correct, just larger), so a flood
/// of distinct names cannot grow it without bound. Not thread-safe: owned by the series registry.
/// </summary>
internal sealed class NameCache
{
    /// <summary>Most names kept per kind.</summary>
    public const int Capacity = 4096;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<byte[], (byte[] Key, string Name)> _fields = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], (byte[] Key, string Name)>.AlternateLookup<ReadOnlySpan<byte>> _fieldLookup;

    public NameCache() => _fieldLookup = _fields.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>The shared instance equal to <paramref name="name"/>.</summary>
    public string Share(string name)
    {
        if (_strings.TryGetValue(name, out var shared))
        {
            return shared;
        }

        if (_strings.Count < Capacity)
        {
            _strings[name] = name;
        }

        return name;
    }

    /// <summary>The shared raw (escaped) field key and its unescaped name.</summary>
    public (byte[] Key, string Name) Field(ReadOnlySpan<byte> rawKey)
    {
        if (_fieldLookup.TryGetValue(rawKey, out var shared))
        {
            return shared;
        }

        var entry = (rawKey.ToArray(), SeriesState.UnescapeKey(rawKey));
        if (_fields.Count < Capacity)
        {
            _fields[entry.Item1] = entry;
        }

        return entry;
    }
}
