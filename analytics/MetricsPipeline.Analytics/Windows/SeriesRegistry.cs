using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// Gives every series (measurement + tag set) a compact id, finds known series by their raw line-protocol key
/// without allocating, and enforces the cardinality limits (in total and per measurement) before anything is
/// allocated for a new series, so a flood of new series costs a counter increment, never memory. Not thread-safe.
/// </summary>
internal sealed class SeriesRegistry
{
    private readonly WindowOptions _options;
    private readonly int _resolutions;
    private readonly SeriesKeyIndex _keys = new();
    private readonly Dictionary<byte[], int> _perMeasurement = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _perMeasurementLookup;
    private readonly List<SeriesState> _byId = [];
    private readonly NameCache _names = new();

    public SeriesRegistry(WindowOptions options, int resolutions)
    {
        _options = options;
        _resolutions = resolutions;
        _perMeasurementLookup = _perMeasurement.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _byId.Count;

    public SeriesState this[int id] => _byId[id];

    public bool Contains(int id) => (uint)id < (uint)_byId.Count;

    /// <summary>Finds or adds the series of a parsed line; null with a reason when a limit refuses it.</summary>
    public SeriesState? Find(ParsedLine line, out SeriesRejection rejection)
    {
        var id = FindId(line, out rejection);
        return id < 0 ? null : _byId[id];
    }

    /// <summary>
    /// The id of the series of a parsed line, adding it when new; −1 with a reason when a limit refuses it. A known
    /// series is found without touching its <see cref="SeriesState"/> (the hot path needs only the id).
    /// </summary>
    public int FindId(ParsedLine line, out SeriesRejection rejection)
    {
        rejection = SeriesRejection.None;
        var id = _keys.Find(line.SeriesKey);
        if (id >= 0)
        {
            return id;
        }

        rejection = Admit(line.MeasurementRaw);
        if (rejection != SeriesRejection.None)
        {
            return -1;
        }

        // A new series: the one place that allocates (its names, once).
        var point = line.ToMetricPoint();
        return Add(line.SeriesKey, line.MeasurementRaw, point.Measurement, point.Tags).Id;
    }

    /// <summary>Finds or adds a series by name; null with a reason when a limit refuses it.</summary>
    public SeriesState? Find(string measurement, IReadOnlyList<KeyValuePair<string, string>> tags, out SeriesRejection rejection)
    {
        var sorted = tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        // The key is the line-protocol series key of a line with sorted tags, so that a line written that way and
        // this registration find the same series.
        var line = LineProtocolWriter.ToLine(new MetricPoint(measurement, sorted, [new("f", FieldValue.FromDouble(1))], null));
        var keyText = line[..line.LastIndexOf(" f=1", StringComparison.Ordinal)];
        var key = System.Text.Encoding.UTF8.GetBytes(keyText);
        rejection = SeriesRejection.None;
        var known = _keys.Find(key);
        if (known >= 0)
        {
            return _byId[known];
        }

        var comma = keyText.IndexOf(',', StringComparison.Ordinal);
        while (comma > 0 && keyText[comma - 1] == '\\')
        {
            comma = keyText.IndexOf(',', comma + 1);
        }

        var measurementRaw = System.Text.Encoding.UTF8.GetBytes(comma < 0 ? keyText : keyText[..comma]);
        rejection = Admit(measurementRaw);
        return rejection == SeriesRejection.None ? Add(key, measurementRaw, measurement, sorted) : null;
    }

    private SeriesRejection Admit(ReadOnlySpan<byte> measurementRaw)
    {
        if (_byId.Count >= _options.MaxSeries)
        {
            return SeriesRejection.TotalLimit;
        }

        _perMeasurementLookup.TryGetValue(measurementRaw, out var perMeasurement);
        return perMeasurement >= _options.MaxSeriesPerMeasurement ? SeriesRejection.MeasurementLimit : SeriesRejection.None;
    }

    private SeriesState Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> measurementRaw, string measurement, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        var sorted = tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValuePair<string, string>(_names.Share(t.Key), t.Value)).ToArray();
        var state = new SeriesState(_keys.Add(key), _names.Share(measurement), sorted, _resolutions, _names);
        _byId.Add(state);
        _perMeasurementLookup.TryGetValue(measurementRaw, out var count);
        _perMeasurementLookup[measurementRaw] = count + 1;
        return state;
    }
}
