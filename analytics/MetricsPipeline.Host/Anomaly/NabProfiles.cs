using System.Text.Json;
using MetricsPipeline.Anomaly.Nab;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>Reads NAB's profiles.json (profile → CostMatrix), falling back to the three official profiles.</summary>
internal static class NabProfiles
{
    /// <summary>The profiles in the file, in NAB's order (standard first), or the official ones when the file is absent.</summary>
    /// <exception cref="InvalidDataException">The file is not an object of profiles each with a numeric CostMatrix.</exception>
    public static IReadOnlyList<NabProfile> Load(string path)
    {
        if (!File.Exists(path))
        {
            return NabProfile.All;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));

        // Other shapes used to escape as InvalidOperationException or KeyNotFoundException: a stack trace from nab.
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"'{path}' must be an object: each profile's name to its CostMatrix.");
        }

        var list = new List<NabProfile>();
        foreach (var profile in document.RootElement.EnumerateObject())
        {
            if (profile.Value.ValueKind != JsonValueKind.Object
                || !profile.Value.TryGetProperty("CostMatrix", out var matrix)
                || matrix.ValueKind != JsonValueKind.Object
                || Weight(matrix, "tpWeight") is not { } tp
                || Weight(matrix, "fpWeight") is not { } fp
                || Weight(matrix, "fnWeight") is not { } fn)
            {
                throw new InvalidDataException($"'{path}' profile '{profile.Name}' has no CostMatrix with numbers tpWeight, fpWeight and fnWeight.");
            }

            list.Add(new NabProfile(profile.Name, tp, fp, fn));
        }

        return list.Count == 0 ? NabProfile.All : list;
    }

    private static double? Weight(JsonElement matrix, string name) =>
        matrix.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
