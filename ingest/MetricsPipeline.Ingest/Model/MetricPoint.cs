namespace MetricsPipeline.Ingest.Model;

/// <summary>
/// A metric point in InfluxDB's data model: a measurement, a tag set, a non-empty field set and an optional
/// timestamp. This is the allocating, convenient form used at the edges (the simulated fleet, aggregates,
/// sinks); the hot path reads line protocol from bytes without building these.
/// </summary>
/// <param name="Measurement">The measurement name (unescaped).</param>
/// <param name="Tags">Tag key/value pairs (unescaped). Order is kept as given; the serializer sorts them.</param>
/// <param name="Fields">Field key/value pairs (unescaped). Must not be empty to be writable.</param>
/// <param name="TimestampNs">Unix time in nanoseconds, or <c>null</c> to let the receiver stamp it.</param>
public sealed record MetricPoint(
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<KeyValuePair<string, FieldValue>> Fields,
    long? TimestampNs)
{
    /// <summary>Returns the value of tag <paramref name="key"/>, or <c>null</c> when the point has no such tag.</summary>
    public string? GetTag(string key)
    {
        foreach (var tag in Tags)
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal))
            {
                return tag.Value;
            }
        }

        return null;
    }

    /// <summary>Returns the field named <paramref name="key"/>, or <c>null</c> when the point has no such field.</summary>
    public FieldValue? GetField(string key)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Key, key, StringComparison.Ordinal))
            {
                return field.Value;
            }
        }

        return null;
    }
}
