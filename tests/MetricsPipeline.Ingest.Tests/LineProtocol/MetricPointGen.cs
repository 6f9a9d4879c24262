using CsCheck;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.Tests.LineProtocol;

/// <summary>CsCheck generators of metric points with hostile names: every line-protocol special character, unicode, newlines.</summary>
internal static class MetricPointGen
{
    private static readonly string[] Fragments =
    [
        "a", "b", "Z", "0", "9", "_", "-", ".", ",", " ", "=", "\"", "\\", "\\\\", "#", "\u00e9", "\u65e5\u672c", "\U0001F600", "\n", "\t", "\r", "i", "u", "t",
    ];

    public static readonly Gen<string> Name = Gen.OneOf(Fragments).Array[1, 6].Select(parts => string.Concat(parts));

    public static readonly Gen<string> Text = Gen.OneOf(Fragments).Array[0, 8].Select(parts => string.Concat(parts));

    public static readonly Gen<FieldValue> Value = Gen.OneOf<FieldValue>(
        Gen.Double.Where(double.IsFinite).Select(FieldValue.FromDouble),
        Gen.Long.Select(FieldValue.FromInt64),
        Gen.ULong.Select(FieldValue.FromUInt64),
        Gen.Bool.Select(FieldValue.FromBoolean),
        Text.Select(FieldValue.FromString));

    public static readonly Gen<MetricPoint> Point =
        Gen.Select(
            Name,
            Gen.Select(Name, Text).Array[0, 4],
            Gen.Select(Name, Value).Array[1, 4],
            Gen.Bool,
            Gen.Long[-4_000_000_000_000_000_000, 4_000_000_000_000_000_000],
            (measurement, tags, fields, hasTimestamp, timestamp) => new MetricPoint(
                measurement,
                tags.Select(t => new KeyValuePair<string, string>(t.Item1, t.Item2)).ToArray(),
                fields.Select(f => new KeyValuePair<string, FieldValue>(f.Item1, f.Item2)).ToArray(),
                hasTimestamp ? timestamp : null));

    /// <summary>
    /// The documented rule, restated independently of the writer: no name may end with a backslash (it would escape
    /// the separator after it), no key may be empty, and a measurement may not start with '#'.
    /// Tags with empty values are dropped by the writer, so they are not checked.
    /// </summary>
    public static bool IsWritable(MetricPoint point) =>
        point.Measurement.Length > 0 && point.Measurement[0] != '#' && !point.Measurement.EndsWith('\\')
        && point.Tags.All(t => t.Value.Length == 0 || (t.Key.Length > 0 && !t.Key.EndsWith('\\') && !t.Value.EndsWith('\\')))
        && point.Fields.All(f => f.Key.Length > 0 && !f.Key.EndsWith('\\'));

    /// <summary>What the parser gives back for a written point: sorted tags without empty values, control characters in names as '_'.</summary>
    public static MetricPoint Expected(MetricPoint point, TimestampPrecision precision)
    {
        static string Name(string s) => s.Replace('\n', '_').Replace('\r', '_').Replace('\t', '_');
        var multiplier = precision switch
        {
            TimestampPrecision.Microseconds => 1_000L,
            TimestampPrecision.Milliseconds => 1_000_000L,
            TimestampPrecision.Seconds => 1_000_000_000L,
            _ => 1L,
        };
        return new MetricPoint(
            Name(point.Measurement),
            point.Tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValuePair<string, string>(Name(t.Key), Name(t.Value))).ToArray(),
            point.Fields.Select(f => new KeyValuePair<string, FieldValue>(Name(f.Key), f.Value)).ToArray(),
            point.TimestampNs is long ns ? FloorTo(ns, multiplier) : null);
    }

    private static long FloorTo(long ns, long multiplier)
    {
        var quotient = ns / multiplier;
        if (ns % multiplier != 0 && ns < 0)
        {
            quotient--;
        }

        return quotient * multiplier;
    }
}
