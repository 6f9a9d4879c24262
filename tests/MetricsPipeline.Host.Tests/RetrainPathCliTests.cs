using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>retrain</c>'s paths are checked up front in the words of every other command, and its summary counts the series
/// that had no history. Before, a file given as <c>--history</c> "did not exist", a directory given as <c>--config</c>
/// "was not found", a file given as <c>--models</c> failed only at the first store (after training), and a window with no
/// history left its series out of "N series skipped".
/// </summary>
public sealed class RetrainPathCliTests
{
    [Fact]
    public async Task WhenHistoryIsAFileOrConfigIsADirectoryOrModelsIsAFileThenRetrainSaysWhichAndExitsTwo()
    {
        using var scratch = new CliScratch("retrain-paths");
        string file = scratch.PathOf("a-file");
        File.WriteAllText(file, "not a directory");
        string history = scratch.PathOf("history");
        Directory.CreateDirectory(history);

        var historyIsFile = await scratch.RunAsync("retrain", "--history", file, "--models", scratch.PathOf("models"));
        var configIsDirectory = await scratch.RunAsync("retrain", "--history", history, "--models", scratch.PathOf("models"), "--config", history);
        var modelsIsFile = await scratch.RunAsync("retrain", "--history", history, "--models", file);

        Assert.True(historyIsFile.ExitCode == 2, historyIsFile.StandardError);
        Assert.Contains($"--history '{file}' is a file; give a directory.", historyIsFile.StandardError, StringComparison.Ordinal);
        Assert.True(configIsDirectory.ExitCode == 2, configIsDirectory.StandardError);
        Assert.Contains($"--config '{history}' is a directory; give a file path.", configIsDirectory.StandardError, StringComparison.Ordinal);
        Assert.True(modelsIsFile.ExitCode == 2, modelsIsFile.StandardError);
        Assert.Contains($"--models '{file}' is a file; give a directory.", modelsIsFile.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, modelsIsFile.StandardOutput);
    }

    [Fact]
    public async Task WhenAWindowHasNoHistoryThenItsSeriesAreCountedAsSkipped()
    {
        using var scratch = new CliScratch("retrain-no-history");
        string history = scratch.PathOf("history");
        Directory.CreateDirectory(history);
        string config = scratch.PathOf("appsettings.json");
        File.WriteAllText(config, """{ "Analytics": { "Forecasting": { "Series": [ { "Name": "rate" } ] } } }""");

        var run = await scratch.RunAsync("retrain", "--history", history, "--models", scratch.PathOf("models"), "--config", config);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("retrain: 0 models stored, 1 series skipped", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("skipped (no 1m history", run.StandardOutput, StringComparison.Ordinal);
    }
}
