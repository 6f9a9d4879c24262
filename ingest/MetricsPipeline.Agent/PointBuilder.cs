using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Agent;

/// <summary>Small helpers that keep the collectors short.</summary>
internal static class PointBuilder
{
    public static MetricPoint Point(string measurement, IEnumerable<(string Key, string Value)> tags, IEnumerable<(string Key, FieldValue Value)> fields, long timestampNs) =>
        new(measurement, tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)).ToList(), fields.Select(f => new KeyValuePair<string, FieldValue>(f.Key, f.Value)).ToList(), timestampNs);

    public static FieldValue F(double value) => FieldValue.FromDouble(value);

    public static FieldValue I(long value) => FieldValue.FromInt64(value);

    public static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Files under /proc vanish (processes exit) and some are root-only: the agent runs unprivileged.
            return null;
        }
    }
}
