using System.Globalization;
using System.Text.Json;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A temporary directory for one CLI test: writes the generated inputs, runs <c>metrics-pipeline</c> in it as a child
/// process (bounded by <see cref="Timeout"/>) and deletes everything on dispose.
/// </summary>
internal sealed class CliScratch : IDisposable
{
    /// <summary>Generous for a loaded 2-core machine; every command here finishes in a few seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public CliScratch(string prefix)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"mp-{prefix}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Writes a <c>timestamp,value</c> CSV (5-minute steps from 2026-01-01 unless <paramref name="step"/> says otherwise).</summary>
    public string WriteSeries(string name, IReadOnlyList<double> values, TimeSpan? step = null)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var spacing = step ?? TimeSpan.FromMinutes(5);
        var lines = new List<string>(values.Count + 1) { "timestamp,value" };
        for (int i = 0; i < values.Count; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{(start + (spacing * i)):yyyy-MM-dd HH:mm:ss},{values[i]:R}"));
        }

        string path = PathOf(name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, lines);
        return path;
    }

    public async Task<HostProcess.Result> RunAsync(params string[] args) =>
        await HostProcess.RunAsync(args, Timeout, TestContext.Current.CancellationToken);

    /// <summary>Runs the command and fails the test, showing its output, unless it exits with 0.</summary>
    public async Task<HostProcess.Result> RunOkAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, $"metrics-pipeline {string.Join(' ', args)} exited {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}");
        return run;
    }

    public JsonElement ReadJson(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(name)));
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; a failing dispose would hide the test's own result.
        }
    }
}
