using System.Text.Json;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Agent.Collectd;

/// <summary>
/// Converts collectd's JSON value lists (the <c>write_kafka</c>/<c>write_http</c> <c>Format JSON</c> output: an array
/// of objects with <c>values</c>, <c>dstypes</c>, <c>dsnames</c>, <c>time</c>, <c>host</c>, <c>plugin</c>,
/// <c>plugin_instance</c>, <c>type</c>, <c>type_instance</c>) to points, with the naming InfluxDB users know from
/// Telegraf's and InfluxDB 1.x's collectd input: measurement <c>{plugin}_{dsname}</c>, tags <c>host</c>,
/// <c>instance</c> (plugin instance), <c>type</c>, <c>type_instance</c> (empty ones omitted), field
/// <c>value</c> (float), timestamp <c>time</c> (seconds, fractional) in ns. Counters and derives stay raw
/// cumulative values, as in those inputs. Thread-safe (stateless).
/// </summary>
public static class CollectdJsonConverter
{
    /// <summary>Converts one message; returns <c>false</c> with a reason when it is not collectd JSON (nothing is thrown).</summary>
    public static bool TryConvert(ReadOnlySpan<byte> json, out List<MetricPoint> points, out string? error)
    {
        points = [];
        error = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            IEnumerable<JsonElement> lists = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : [root];
            foreach (var list in lists)
            {
                var values = list.GetProperty("values");
                var names = list.GetProperty("dsnames");
                var plugin = list.GetProperty("plugin").GetString() ?? string.Empty;
                var tags = new List<KeyValuePair<string, string>>();
                AddTag(tags, "host", list, "host");
                AddTag(tags, "instance", list, "plugin_instance");
                AddTag(tags, "type", list, "type");
                AddTag(tags, "type_instance", list, "type_instance");
                var timestampNs = (long)Math.Round(list.GetProperty("time").GetDouble() * 1e9);
                for (var i = 0; i < values.GetArrayLength(); i++)
                {
                    var value = values[i];
                    if (value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()))
                    {
                        continue; // collectd writes null for NaN (no value yet)
                    }

                    var measurement = plugin + "_" + names[i].GetString();
                    points.Add(new MetricPoint(measurement, tags, [new("value", FieldValue.FromDouble(value.GetDouble()))], timestampNs));
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            points = [];
            error = "not collectd JSON: " + ex.Message;
            return false;
        }
    }

    private static void AddTag(List<KeyValuePair<string, string>> tags, string tag, JsonElement list, string property)
    {
        if (list.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            tags.Add(new(tag, text));
        }
    }
}
