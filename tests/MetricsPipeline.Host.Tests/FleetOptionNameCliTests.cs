using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// An out-of-range fleet option (<c>demo</c>, <c>fleet</c>, <c>fleet-trace</c>) is reported under the option the user
/// typed. Before, the message named the options class's property: "Invalid fleet option: FleetOptions.InstancesPerService
/// must be at least 1 (was 0)." for <c>--instances 0</c>.
/// </summary>
public sealed class FleetOptionNameCliTests
{
    [Theory]
    [InlineData("--instances", "0", "--instances must be between 1 and 10000 (got 0).")]
    [InlineData("--instances", "20000", "--instances must be between 1 and 10000 (got 20000).")]
    [InlineData("--interval", "0s", "--interval must be positive and at most 7 days (got 0s).")]
    [InlineData("--latency-samples", "-1", "--latency-samples must be between 0 and the interval in nanoseconds, so every sample gets its own timestamp (got -1).")]
    [InlineData("--speed", "0", "--speed must be positive (got 0).")]
    public async Task WhenAFleetOptionIsOutOfRangeThenFleetNamesTheOption(string option, string value, string expected)
    {
        using var scratch = new CliScratch("fleet-option-names");

        var run = await scratch.RunAsync("fleet", "--bootstrap-servers", "127.0.0.1:1", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {expected}", run.StandardError.Trim());
    }

    [Fact]
    public async Task WhenFleetTracesIntervalIsNotPositiveThenItNamesTheOption()
    {
        using var scratch = new CliScratch("fleet-trace-interval");

        var run = await scratch.RunAsync("fleet-trace", "--service", "api", "--interval", "0s", "--output", scratch.PathOf("x.csv"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("fleet-trace: --interval must be positive and at most 7 days (got 0s).", run.StandardError.Trim());
    }
}
