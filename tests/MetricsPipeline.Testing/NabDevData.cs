namespace MetricsPipeline.Testing;

/// <summary>
/// Where the NAB development split is: <c>NAB_DEV_DATA</c> (or <c>NAB_DEV_DIR</c>) when set, else
/// <c>../shared/data/nab-dev</c> beside the repository (the layout CI and the README use). The data is read from there,
/// never copied into the project.
/// </summary>
public static class NabDevData
{
    /// <summary>The directory holding <c>realTraffic/</c>, <c>realAdExchange/</c>, <c>labels.json</c> and the rest.</summary>
    public static string Root { get; } = Find();

    /// <summary>The value column of one series, e.g. <c>Values("realTraffic", "speed_6005.csv")</c> (a NAB CSV: timestamp,value).</summary>
    public static double[] Values(string corpus, string file) =>
        [.. File.ReadLines(Path.Combine(Root, corpus, file)).Skip(1)
            .Select(line => double.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))];

    private static string Find()
    {
        foreach (string name in (ReadOnlySpan<string>)["NAB_DEV_DATA", "NAB_DEV_DIR"])
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } path)
            {
                return path;
            }
        }

        // Walk up from the test's output directory to the repository (the folder with MetricsPipeline.sln).
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MetricsPipeline.sln")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new InvalidOperationException($"MetricsPipeline.sln not found above {AppContext.BaseDirectory}; set NAB_DEV_DATA to the nab-dev directory.")
            : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "nab-dev"));
    }
}
