using System.Text.Json;
using MetricsPipeline.Decisions.Commands;

namespace MetricsPipeline.Decisions.Simulation;

/// <summary>Writes <see cref="SimulationSummary"/> as indented snake_case JSON (<c>summary.json</c>). Thread-safe.</summary>
public static class SimulationSummaryJson
{
    /// <summary>The summary as a JSON string.</summary>
    public static string ToJson(SimulationSummary summary) => JsonSerializer.Serialize(summary, DecisionJson.IndentedOptions);

    /// <summary>Writes the summary to <paramref name="path"/> (overwriting), creating the directory if needed.</summary>
    public static void Write(SimulationSummary summary, string path)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(path, ToJson(summary) + Environment.NewLine);
    }
}
