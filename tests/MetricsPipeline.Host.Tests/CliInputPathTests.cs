using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The input and output paths every command reads and writes are checked up front with the same words: a missing file
/// "does not exist", a directory given for a file "is a directory; give a file path", each naming the option; enum-like
/// options take their values in any case. Before, <c>detect --input DIR</c> said the directory did not exist, an output
/// that was a directory failed only after the whole run ("Access to the path … is denied."), and <c>detect --mode</c>,
/// <c>--detector</c> and <c>fleet-trace --metric</c> were case-sensitive while <c>forecast --mode</c> was not.
/// </summary>
public sealed class CliInputPathTests
{
    [Theory]
    [InlineData("detect")]
    [InlineData("forecast")]
    [InlineData("backtest")]
    public async Task WhenTheInputIsADirectoryOrMissingThenTheCommandSaysWhichAndExitsTwo(string command)
    {
        using var scratch = new CliScratch("input-path");
        string directory = scratch.PathOf("series-dir");
        Directory.CreateDirectory(directory);
        string absent = scratch.PathOf("absent.csv");

        var isDirectory = await scratch.RunAsync([command, .. Rest(command), "--input", directory, "--output", scratch.PathOf("out")]);
        var missing = await scratch.RunAsync([command, .. Rest(command), "--input", absent, "--output", scratch.PathOf("out")]);

        Assert.True(isDirectory.ExitCode == 2, $"exit {isDirectory.ExitCode}\n{isDirectory.StandardError}");
        Assert.Contains($"--input '{directory}' is a directory; give a file path", isDirectory.StandardError, StringComparison.Ordinal);
        Assert.True(missing.ExitCode == 2, $"exit {missing.ExitCode}\n{missing.StandardError}");
        Assert.Contains($"--input '{absent}' does not exist", missing.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("detect")]
    [InlineData("forecast")]
    [InlineData("backtest")]
    [InlineData("fleet-trace")]
    public async Task WhenTheOutputIsADirectoryThenTheCommandFailsBeforeTheWorkNamingTheOption(string command)
    {
        using var scratch = new CliScratch("output-path");
        string series = scratch.WriteSeries("series.csv", Enumerable.Range(0, 300).Select(i => 10.0 + (i % 12)).ToArray());
        string directory = scratch.PathOf("out-dir");
        Directory.CreateDirectory(directory);
        string[] input = command == "fleet-trace" ? ["--service", "api", "--days", "1"] : ["--input", series];

        var run = await scratch.RunAsync([command, .. Rest(command), .. input, "--output", directory]);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.Contains($"--output '{directory}' is a directory; give a file path", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("trained", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenNabsOutputIsADirectoryThenNabFailsBeforeScoringNamingTheOption()
    {
        using var scratch = new CliScratch("nab-output-path");
        Directory.CreateDirectory(scratch.PathOf("data/cat"));
        scratch.WriteSeries("data/cat/a.csv", Enumerable.Range(0, 200).Select(i => 10.0 + (i % 7)).ToArray());
        File.WriteAllText(scratch.PathOf("data/windows.json"), """{ "cat/a.csv": [] }""");
        string directory = scratch.PathOf("out-dir");
        Directory.CreateDirectory(directory);

        var run = await scratch.RunAsync("nab", "--data", scratch.PathOf("data"), "--detector", "iid-spike", "--output", directory);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.Contains($"--output '{directory}' is a directory; give a file path", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.StandardOutput);
    }

    [Fact]
    public async Task WhenDetectsModeAndDetectorAreWrittenInAnotherCaseThenTheyAreAccepted()
    {
        using var scratch = new CliScratch("detect-case");
        string series = scratch.WriteSeries("series.csv", Enumerable.Range(0, 200).Select(i => 10.0 + (i % 7)).ToArray());

        var run = await scratch.RunAsync("detect", "--input", series, "--output", scratch.PathOf("out.csv"), "--detector", "IID-Spike", "--mode", "Engine");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.StartsWith("iid-spike: 200 rows", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenFleetTracesMetricIsWrittenInAnotherCaseThenItIsAcceptedAndAnUnknownOneIsAUsageError()
    {
        using var scratch = new CliScratch("fleet-trace-metric");

        var upper = await scratch.RunAsync("fleet-trace", "--service", "api", "--metric", "CPU", "--days", "1", "--output", scratch.PathOf("cpu.csv"));
        var unknown = await scratch.RunAsync("fleet-trace", "--service", "api", "--metric", "memory", "--days", "1", "--output", scratch.PathOf("m.csv"));

        Assert.True(upper.ExitCode == 0, $"exit {upper.ExitCode}\n{upper.StandardError}");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown metric 'memory'; use requests, cpu or p95.", unknown.StandardError, StringComparison.Ordinal);
    }

    private static string[] Rest(string command) => command switch
    {
        "detect" => ["--detector", "iid-spike"],
        "backtest" => ["--horizon", "2"],
        "forecast" => ["--horizon", "2"],
        _ => [],
    };
}
