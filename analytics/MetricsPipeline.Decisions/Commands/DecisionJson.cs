using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetricsPipeline.Decisions.Commands;

/// <summary>The JSON conventions of every decision message: snake_case keys and enum values, no nulls. Thread-safe.</summary>
public static class DecisionJson
{
    /// <summary>Shared serializer options (read-only once created).</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>Shared serializer options that indent (for files meant for people).</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            // Metrics can be NaN/Infinity in code; JSON carries them as named strings rather than failing.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
