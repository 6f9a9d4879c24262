using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.HttpWrite;

/// <summary>
/// Remembers, in bounded memory, the series seen per measurement and the type of each field per series, to reject
/// cardinality bombs (<c>series_cardinality_exceeded</c>) and field type conflicts (<c>field_type_conflict</c>,
/// e.g. <c>value=1i</c> after <c>value=1.5</c>, which InfluxDB refuses too). Series are identified by a 64-bit hash
/// of the raw series key, so two tag orders of one series count twice (clients write a stable order).
/// Thread-safe (one lock; the work under it is a few dictionary look-ups per line).
/// </summary>
public sealed class SeriesGuard
{
    /// <summary>The reason code of a field whose type differs from the one first seen for its series.</summary>
    public const string FieldTypeConflict = "field_type_conflict";

    /// <summary>The reason code of a new series beyond <see cref="HttpWriteOptions.MaxSeriesPerMeasurement"/>.</summary>
    public const string SeriesCardinalityExceeded = "series_cardinality_exceeded";

    private readonly Lock gate = new();
    private readonly Dictionary<ulong, HashSet<ulong>> seriesByMeasurement = [];
    private readonly Dictionary<ulong, FieldKind> fieldKinds = [];
    private readonly int maxSeriesPerMeasurement;
    private readonly int maxTrackedFields;

    /// <summary>Creates a guard with the bounds of <paramref name="options"/>.</summary>
    public SeriesGuard(HttpWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        maxSeriesPerMeasurement = options.MaxSeriesPerMeasurement;
        maxTrackedFields = options.MaxTrackedFields;
    }

    /// <summary>
    /// Checks one valid line and, when it passes, records its series and field types. Returns <c>null</c> when the
    /// line is accepted, otherwise the reason code and sets <paramref name="detail"/> to an explanation.
    /// </summary>
    public string? Check(ParsedLine line, out string? detail)
    {
        detail = null;
        var measurement = Fnv.Hash(line.MeasurementRaw);
        var series = Fnv.Hash(line.SeriesKey);
        lock (gate)
        {
            if (maxSeriesPerMeasurement > 0)
            {
                if (!seriesByMeasurement.TryGetValue(measurement, out var set))
                {
                    set = [];
                    seriesByMeasurement[measurement] = set;
                }

                if (!set.Contains(series))
                {
                    if (set.Count >= maxSeriesPerMeasurement)
                    {
                        detail = $"measurement '{line.Measurement}' already has {set.Count} series (limit {maxSeriesPerMeasurement})";
                        return SeriesCardinalityExceeded;
                    }

                    set.Add(series);
                }
            }

            foreach (var field in line.Fields)
            {
                if (fieldKinds.TryGetValue(Fnv.Combine(series, Fnv.Hash(field.KeyRaw)), out var known) && known != field.Kind)
                {
                    detail = $"field type conflict: input field \"{field.Key}\" is type {field.Kind}, already exists as type {known}";
                    return FieldTypeConflict;
                }
            }

            foreach (var field in line.Fields)
            {
                var key = Fnv.Combine(series, Fnv.Hash(field.KeyRaw));
                if (fieldKinds.Count < maxTrackedFields || fieldKinds.ContainsKey(key))
                {
                    fieldKinds[key] = field.Kind;
                }
            }
        }

        return null;
    }
}
