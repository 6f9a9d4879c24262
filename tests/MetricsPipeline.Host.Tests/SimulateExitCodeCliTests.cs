using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>simulate</c> exits 2 on what the user gave wrong (an option, the trace, the policy or its config), as <c>detect</c>,
/// <c>nab</c>, <c>plot</c>, <c>fleet</c> and <c>run</c> do; before, it exited 1 like a failed run.
/// </summary>
public sealed class SimulateExitCodeCliTests
{
    [Fact]
    public async Task WhenTheTraceTheOptionsOrThePolicyAreBadThenSimulateExitsTwo()
    {
        using var scratch = new CliScratch("simulate-exit-codes");
        string trace = scratch.WriteSeries("load.csv", Enumerable.Range(0, 120).Select(i => 100.0 + (i % 30)).ToArray(), TimeSpan.FromMinutes(1));
        string malformed = scratch.PathOf("malformed.csv");
        File.WriteAllLines(malformed, ["timestamp,value", "2026-01-01 00:00:00,10", "2026-01-01 00:01:00,lots"]);
        string config = scratch.PathOf("sideways.json");
        File.WriteAllText(config, """{ "policy": "sideways" }""");
        string output = scratch.PathOf("summary.json");
        string[][] cases =
        [
            ["--trace", malformed, "--policy", "reactive"],
            ["--trace", scratch.PathOf("absent.csv"), "--policy", "reactive"],
            ["--trace", trace, "--policy", "clairvoyant"],
            ["--trace", trace, "--policy", config],
            ["--trace", trace, "--policy", "reactive", "--price", "-1"],
            ["--trace", trace, "--fleet", "api", "--policy", "reactive"],
        ];
        foreach (string[] args in cases)
        {
            var run = await scratch.RunAsync(["simulate", .. args, "--output", output]);
            Assert.True(run.ExitCode == 2, $"simulate {string.Join(' ', args)}: exit {run.ExitCode}, {run.StandardError}");
            Assert.StartsWith("simulate: ", run.StandardError, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(output), "a failed simulation writes no summary");
        Assert.Equal(0, (await scratch.RunAsync("simulate", "--trace", trace, "--policy", "static", "--output", output)).ExitCode);
    }

    [Theory]
    [InlineData("--output")]
    [InlineData("--commands")]
    [InlineData("--minutes")]
    public async Task WhenAnOutputPathIsADirectoryThenSimulateFailsBeforeTheRunNamingTheOption(string option)
    {
        // Before: the whole run, then "Access to the path '…' is denied." (exit 1), or for --commands/--minutes the same at the start.
        using var scratch = new CliScratch("simulate-output-directory");
        string trace = scratch.WriteSeries("load.csv", Enumerable.Range(0, 120).Select(i => 100.0 + (i % 30)).ToArray(), TimeSpan.FromMinutes(1));
        string directory = scratch.PathOf("out");
        Directory.CreateDirectory(directory);
        string[] args = option == "--output" ? ["--output", directory] : ["--output", scratch.PathOf("summary.json"), option, directory];
        var run = await scratch.RunAsync(["simulate", "--trace", trace, "--policy", "reactive", .. args]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{option} '{directory}' is a directory", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("reactive on", run.StandardOutput, StringComparison.Ordinal);
    }
}
