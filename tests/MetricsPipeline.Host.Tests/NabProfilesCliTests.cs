using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A malformed <c>profiles.json</c> is refused before the detector runs, naming the file and the profile. Before, it was
/// read after the run and a missing <c>CostMatrix</c>, a weight that is not a number or an array root escaped as an
/// unhandled exception (a stack trace, exit 1).
/// </summary>
public sealed class NabProfilesCliTests
{
    [Theory]
    [InlineData("[1]", "must be an object")]
    [InlineData("""{ "standard": { "weights": {} } }""", "profile 'standard' has no CostMatrix")]
    [InlineData("""{ "standard": { "CostMatrix": { "tpWeight": "1", "fpWeight": 0.11, "fnWeight": 1 } } }""", "profile 'standard' has no CostMatrix")]
    public async Task WhenProfilesJsonIsMalformedThenNabFailsBeforeTheRunNamingIt(string json, string expected)
    {
        using var scratch = new CliScratch("nab-profiles");
        Directory.CreateDirectory(scratch.PathOf("data/cat"));
        scratch.WriteSeries("data/cat/a.csv", Enumerable.Range(0, 200).Select(i => 10.0 + (i % 7)).ToArray());
        File.WriteAllText(scratch.PathOf("data/windows.json"), """{ "cat/a.csv": [] }""");
        string profiles = scratch.PathOf("data/profiles.json");
        File.WriteAllText(profiles, json);

        var run = await scratch.RunAsync("nab", "--data", scratch.PathOf("data"), "--detector", "iid-spike");

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.StartsWith($"error: '{profiles}' {expected}", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.StandardOutput);
    }
}
