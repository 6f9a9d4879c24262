namespace MetricsPipeline.Host.Tests;

/// <summary>Finds the repository root and the built host from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The host assembly copied next to the tests (the Host project is referenced).</summary>
    public static string HostDll { get; } = Path.Combine(AppContext.BaseDirectory, "metrics-pipeline.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MetricsPipeline.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MetricsPipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
