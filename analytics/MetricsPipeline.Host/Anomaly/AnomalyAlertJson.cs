using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>Serialises <see cref="AnomalyAlert"/> as <c>alert/v1</c> JSON (snake_case, ISO-8601 UTC times) and derives its id.</summary>
public static class AnomalyAlertJson
{
    /// <summary>The deterministic id: the first 128 bits of SHA-256 over the identifying fields, as 32 lowercase hex digits.</summary>
    public static string Id(string metric, string service, string detector, string status, long windowStartNs)
    {
        var text = string.Join('\u001f', metric, service, detector, status, windowStartNs.ToString(CultureInfo.InvariantCulture));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Returns the UTF-8 JSON of the alert.</summary>
    public static byte[] Serialize(AnomalyAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("schema", AnomalyAlert.SchemaName);
            w.WriteString("id", alert.Id);
            w.WriteString("kind", "anomaly");
            w.WriteString("status", alert.Status);
            w.WriteString("severity", alert.Severity);
            w.WriteString("rule", alert.Rule);
            w.WriteString("service", alert.Service);
            w.WriteString("metric", alert.Metric);
            w.WriteNumber("value", Finite(alert.Value));
            w.WriteNumber("threshold", Finite(alert.Threshold));
            w.WriteString("summary", alert.Summary);
            w.WriteString("playbook", alert.Playbook);
            w.WriteBoolean("renotification", alert.Renotification);
            w.WriteString("starts_at", alert.StartsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("timestamp", alert.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteStartObject("labels");
            foreach (var (key, value) in alert.Labels)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // JSON has no NaN; a window without a value reports 0 (the labels carry the details).
    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
