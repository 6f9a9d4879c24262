using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The bench commands check their output path before the measurement and refuse out-of-range numbers naming the option.
/// Before, an <c>--output</c> that could not be written failed only after the run (five and a half minutes for
/// <c>bench agent</c>'s defaults) with "Access to the path … is denied.", and <c>bench http</c> and <c>bench agent</c>
/// silently raised a zero or negative <c>--seconds</c>, <c>--connections</c>, <c>--interval</c> … to a minimum of their own.
/// </summary>
public sealed class BenchOptionCliTests
{
    [Theory]
    [InlineData("sketch")]
    [InlineData("aggregate")]
    [InlineData("e2e")]
    [InlineData("soak")]
    [InlineData("scale")]
    [InlineData("http")]
    [InlineData("agent")]
    public async Task WhenTheOutputIsADirectoryThenTheBenchFailsBeforeMeasuring(string bench)
    {
        using var scratch = new CliScratch("bench-output");
        string directory = scratch.PathOf("out-dir");
        Directory.CreateDirectory(directory);

        var run = await scratch.RunAsync("bench", bench, "--output", directory);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.StandardOutput}\n{run.StandardError}");
        Assert.Contains($"--output '{directory}' is a directory; give a file path.", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http", "--seconds", "0", "--seconds must be positive (got 0).")]
    [InlineData("http", "--connections", "0", "--connections must be at least 1 (got 0).")]
    [InlineData("http", "--batch-lines", "-5", "--batch-lines must be at least 1 (got -5).")]
    [InlineData("agent", "--seconds", "0", "--seconds must be positive (got 0).")]
    [InlineData("agent", "--warmup", "-1", "--warmup must be at least 0 (got -1).")]
    [InlineData("agent", "--interval", "0", "--interval must be positive (got 0).")]
    [InlineData("agent", "--sample-every", "0", "--sample-every must be positive (got 0).")]
    public async Task WhenABenchNumberIsOutOfRangeThenTheBenchFailsNamingIt(string bench, string option, string value, string expected)
    {
        using var scratch = new CliScratch("bench-options");

        var run = await scratch.RunAsync("bench", bench, option, value);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.StandardOutput}\n{run.StandardError}");
        Assert.Equal($"error: {expected}", run.StandardError.Trim());
    }
}
