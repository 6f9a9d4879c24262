using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace MetricsPipeline.Decisions.Alerts;

/// <summary>
/// The one serialiser of the <c>alert/v1</c> envelope (<c>schemas/alert.v1.schema.json</c>) for every producer of the
/// <c>alerts</c> topic: threshold alerts (<see cref="ThresholdAlertEvaluator"/>) and anomaly alerts (the anomaly stage).
/// Properties in schema order, snake_case enum values, non-finite numbers as 0 (JSON has no NaN), times as UTC with
/// seven fraction digits and a <c>Z</c> (<c>2026-03-01T00:05:00.0000000Z</c>), labels in their list order.
/// <see cref="AlertEnvelope"/> carries <see cref="AlertEnvelopeJsonConverter"/>, so <c>JsonSerializer</c> with any
/// options (e.g. <see cref="Commands.DecisionJson.Options"/>) writes the same bytes. Thread-safe.
/// </summary>
public static class AlertJson
{
    // Fixed width and always UTC, so every message on the topic spells its times the same way.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Returns the UTF-8 JSON of the alert.</summary>
    public static byte[] ToUtf8(AlertEnvelope alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, alert);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the JSON of the alert as a string (the same text as <see cref="ToUtf8"/>).</summary>
    public static string ToJson(AlertEnvelope alert) => System.Text.Encoding.UTF8.GetString(ToUtf8(alert));

    /// <summary>Parses an <c>alert/v1</c> message written by <see cref="ToUtf8"/>; null for the JSON literal null.</summary>
    /// <exception cref="JsonException">The text is not an <c>alert/v1</c> envelope.</exception>
    public static AlertEnvelope? Parse(string json) => JsonSerializer.Deserialize<AlertEnvelope>(json);

    /// <summary>Writes the alert as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, AlertEnvelope alert)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(alert);
        writer.WriteStartObject();
        writer.WriteString("schema", alert.Schema);
        writer.WriteString("id", alert.Id);
        writer.WriteString("kind", Name(alert.Kind));
        writer.WriteString("status", Name(alert.Status));
        writer.WriteString("severity", Name(alert.Severity));
        writer.WriteString("rule", alert.Rule);
        writer.WriteString("service", alert.Service);
        writer.WriteString("metric", alert.Metric);
        writer.WriteNumber("value", Finite(alert.Value));
        writer.WriteNumber("threshold", Finite(alert.Threshold));
        writer.WriteString("summary", alert.Summary);
        writer.WriteString("playbook", alert.Playbook);
        writer.WriteBoolean("renotification", alert.Renotification);
        WriteTime(writer, "starts_at", alert.StartsAt);
        WriteTime(writer, "timestamp", alert.Timestamp);
        writer.WriteStartObject("labels");
        foreach (var (key, value) in alert.Labels)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The wire name of a kind.</summary>
    public static string Name(AlertKind kind) => kind switch
    {
        AlertKind.Threshold => "threshold",
        AlertKind.Anomaly => "anomaly",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The wire name of a status.</summary>
    public static string Name(AlertStatus status) => status switch
    {
        AlertStatus.Firing => "firing",
        AlertStatus.Resolved => "resolved",
        AlertStatus.Flapping => "flapping",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The wire name of a severity.</summary>
    public static string Name(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Warning => "warning",
        AlertSeverity.Critical => "critical",
        AlertSeverity.Emergency => "emergency",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    internal static AlertEnvelope Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An alert/v1 message is a JSON object.");
        }

        var schema = Text(e, "schema");
        if (schema != AlertEnvelope.SchemaName)
        {
            throw new JsonException($"Expected schema {AlertEnvelope.SchemaName}, found '{schema}'.");
        }

        var labels = new List<KeyValuePair<string, string>>();
        if (e.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in l.EnumerateObject())
            {
                labels.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new JsonException($"alert/v1: label '{p.Name}' is not a string.")));
            }
        }

        return new AlertEnvelope
        {
            Schema = schema,
            Id = Text(e, "id"),
            Kind = Parse<AlertKind>(e, "kind"),
            Status = Parse<AlertStatus>(e, "status"),
            Severity = Parse<AlertSeverity>(e, "severity"),
            Rule = Text(e, "rule"),
            Service = Text(e, "service"),
            Metric = Text(e, "metric"),
            Value = Number(e, "value"),
            Threshold = Number(e, "threshold"),
            Summary = Text(e, "summary"),
            Playbook = Text(e, "playbook"),
            Renotification = Property(e, "renotification").ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new JsonException("alert/v1: 'renotification' is not a boolean."),
            },
            StartsAt = Time(e, "starts_at"),
            Timestamp = Time(e, "timestamp"),
            Labels = labels,
        };
    }

    private static JsonElement Property(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) ? p : throw new JsonException($"alert/v1: missing '{name}'.");

    private static string Text(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.String } p ? p.GetString()! : throw new JsonException($"alert/v1: '{name}' is not a string.");

    private static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.TryParse(Text(e, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new JsonException($"alert/v1: '{name}' is not a date-time.");

    private static double Number(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Number } p ? p.GetDouble() : throw new JsonException($"alert/v1: '{name}' is not a number.");

    private static T Parse<T>(JsonElement e, string name)
        where T : struct, Enum =>
        Enum.TryParse<T>(Text(e, name), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new JsonException($"alert/v1: unknown {name} '{Text(e, name)}'.");

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset time)
    {
        Span<char> text = stackalloc char[32];
        time.UtcDateTime.TryFormat(text, out int written, TimeFormat, CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..written]);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
