using System.Text.Json;
using MetricsPipeline.Anomaly.Nab;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>Reads NAB's profiles.json (profile → CostMatrix), falling back to the three official profiles.</summary>
internal static class NabProfiles
{
    /// <summary>The profiles in the file, in NAB's order (standard first), or the official ones when the file is absent.</summary>
    public static IReadOnlyList<NabProfile> Load(string path)
    {
        if (!File.Exists(path))
        {
            return NabProfile.All;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var list = new List<NabProfile>();
        foreach (var profile in document.RootElement.EnumerateObject())
        {
            var matrix = profile.Value.GetProperty("CostMatrix");
            list.Add(new NabProfile(profile.Name, matrix.GetProperty("tpWeight").GetDouble(), matrix.GetProperty("fpWeight").GetDouble(), matrix.GetProperty("fnWeight").GetDouble()));
        }

        return list.Count == 0 ? NabProfile.All : list;
    }
}
