using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>simulate --fleet</c> with bad option values: the message names the option the user typed.</summary>
public class SimulateFleetOptionsCliTests
{
    [Fact]
    public async Task WhenTheFleetServiceIsUnknownThenTheMessageListsTheServices()
    {
        // Before: "FleetOptions.Incidents[0].Service 'nosuch' is not one of the configured services."
        using var scratch = new CliScratch("simulate-fleet-service");
        var run = await scratch.RunAsync("simulate", "--fleet", "nosuch", "--policy", "reactive", "--output", scratch.PathOf("s.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown fleet service 'nosuch': use one of ", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("api", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Incidents", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.PathOf("s.json")));
    }

    [Fact]
    public async Task WhenFleetDaysIsZeroThenTheMessageNamesTheOption()
    {
        // Before: "days ('0') must be greater than or equal to '1'. (Parameter 'days')" and a second line.
        using var scratch = new CliScratch("simulate-fleet-days");
        var run = await scratch.RunAsync("simulate", "--fleet", "api", "--fleet-days", "0", "--policy", "reactive", "--output", scratch.PathOf("s.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("simulate: --fleet-days must be at least 1 (got 0).", run.StandardError.Trim());
    }

    [Theory]
    [InlineData("1500000")] // before: "simulate: Non-negative number required." (days × 1440 overflowed)
    [InlineData("7000")]    // before: minutes of fleet generation without progress, then a failure about 10 million steps
    public async Task WhenFleetDaysIsMoreThanARunCanHoldThenItFailsAtOnceNamingTheOption(string days)
    {
        using var scratch = new CliScratch("simulate-fleet-days-max");
        var started = DateTimeOffset.UtcNow;
        var run = await scratch.RunAsync("simulate", "--fleet", "api", "--fleet-days", days, "--policy", "static", "--output", scratch.PathOf("s.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(30), "the check comes before the fleet is generated");
        Assert.Equal($"simulate: --fleet-days must be between 1 and 6944 (a run has at most 10000000 one-minute steps; got {days}).", run.StandardError.Trim());
    }
}
