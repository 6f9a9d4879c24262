using System.Text.Json;

namespace MetricsPipeline.Decisions.Commands;

/// <summary>Serialises <see cref="ScalingCommand"/> as <c>scaling-command/v1</c> JSON. Thread-safe.</summary>
public static class ScalingCommandJson
{
    /// <summary>Serialises one command as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(ScalingCommand command) => JsonSerializer.SerializeToUtf8Bytes(command, DecisionJson.Options);

    /// <summary>Serialises one command as a JSON string.</summary>
    public static string ToJson(ScalingCommand command) => JsonSerializer.Serialize(command, DecisionJson.Options);

    /// <summary>Parses a command; returns null for the JSON literal <c>null</c>.</summary>
    /// <exception cref="JsonException">The text is not a valid command.</exception>
    public static ScalingCommand? Parse(string json) => JsonSerializer.Deserialize<ScalingCommand>(json, DecisionJson.Options);
}
