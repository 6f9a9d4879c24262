using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetricsPipeline.Decisions.Alerts;

/// <summary>
/// Routes <c>JsonSerializer</c> through <see cref="AlertJson"/>, so an <see cref="AlertEnvelope"/> serialised with any
/// options has the one <c>alert/v1</c> spelling (options such as indentation still apply). Thread-safe.
/// </summary>
public sealed class AlertEnvelopeJsonConverter : JsonConverter<AlertEnvelope>
{
    /// <inheritdoc />
    public override AlertEnvelope Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return AlertJson.Read(document.RootElement);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, AlertEnvelope value, JsonSerializerOptions options) => AlertJson.Write(writer, value);
}
