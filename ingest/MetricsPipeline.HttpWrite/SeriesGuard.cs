using System.Collections.Concurrent;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.HttpWrite;

/// <summary>
/// Remembers, in bounded memory, the series seen per measurement and the type of each field per series, to reject
/// cardinality bombs (<c>series_cardinality_exceeded</c>) and field type conflicts (<c>field_type_conflict</c>,
/// e.g. <c>value=1i</c> after <c>value=1.5</c>, which InfluxDB refuses too). Series are identified by a 64-bit hash
/// of the raw series key, so two tag orders of one series count twice (clients write a stable order).
/// Thread-safe and lock-free on the common path (known series, known fields: look-ups only). The first type seen for
/// a field wins; two requests racing with different types for a new field may both pass once.
/// </summary>
public sealed class SeriesGuard
{
    /// <summary>The reason code of a field whose type differs from the one first seen for its series.</summary>
    public const string FieldTypeConflict = "field_type_conflict";

    /// <summary>The reason code of a new series beyond <see cref="HttpWriteOptions.MaxSeriesPerMeasurement"/>.</summary>
    public const string SeriesCardinalityExceeded = "series_cardinality_exceeded";

    private readonly ConcurrentDictionary<ulong, MeasurementSeries> seriesByMeasurement = new();
    private readonly ConcurrentDictionary<ulong, FieldKind> fieldKinds = new();
    private readonly int maxSeriesPerMeasurement;
    private readonly int maxTrackedFields;
    private int trackedFields;
    private int trackedMeasurements;

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
        var series = Fnv.Hash(line.SeriesKey);
        if (maxSeriesPerMeasurement > 0)
        {
            var measurement = Fnv.Hash(line.MeasurementRaw);
            if (!seriesByMeasurement.TryGetValue(measurement, out var set))
            {
                // Measurements are bounded too (by MaxTrackedFields): past it a new measurement is not tracked.
                if (Volatile.Read(ref trackedMeasurements) < maxTrackedFields)
                {
                    set = seriesByMeasurement.GetOrAdd(measurement, _ =>
                    {
                        Interlocked.Increment(ref trackedMeasurements);
                        return new MeasurementSeries();
                    });
                }
            }

            if (set is not null && !set.Series.ContainsKey(series))
            {
                // The count is kept beside the set: ConcurrentDictionary.Count takes every lock.
                if (Volatile.Read(ref set.Count) >= maxSeriesPerMeasurement)
                {
                    detail = $"measurement '{line.Measurement}' already has {set.Count} series (limit {maxSeriesPerMeasurement})";
                    return SeriesCardinalityExceeded;
                }

                if (set.Series.TryAdd(series, 0))
                {
                    Interlocked.Increment(ref set.Count);
                }
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
            if (Volatile.Read(ref trackedFields) < maxTrackedFields && !fieldKinds.ContainsKey(key) && fieldKinds.TryAdd(key, field.Kind))
            {
                Interlocked.Increment(ref trackedFields);
            }
        }

        return null;
    }

    private sealed class MeasurementSeries
    {
#pragma warning disable SA1401, CA1051 // A field so Interlocked can update it.
        public int Count;
#pragma warning restore SA1401, CA1051

        public ConcurrentDictionary<ulong, byte> Series { get; } = new();
    }
}
