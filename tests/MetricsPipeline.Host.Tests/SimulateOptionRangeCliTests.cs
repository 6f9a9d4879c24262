using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>simulate</c> options outside what the fleet model can represent fail naming the option.</summary>
public class SimulateOptionRangeCliTests
{
    [Fact]
    public async Task WhenTheStartupDelayIsOverADayOrTheSloIsInfiniteThenSimulateFailsNamingTheOption()
    {
        using var scratch = new CliScratch("simulate-ranges");
        string trace = scratch.WriteSeries("load.csv", Enumerable.Range(0, 120).Select(i => 100.0 + (i % 30)).ToArray(), TimeSpan.FromMinutes(1));
        string output = scratch.PathOf("summary.json");
        // Before: 10000000d overflowed the start-up steps, so new instances served at once (reactive: fewer violation
        // minutes than with 3m) and the predictive policy failed with "un-representable DateTime"; Infinity ran.
        (string Policy, string[] Args, string Message)[] cases =
        [
            ("reactive", ["--startup-delay", "10000000d"], "--startup-delay must be at most 1 day"),
            ("predictive", ["--startup-delay", "10000000d"], "--startup-delay must be at most 1 day"),
            ("reactive", ["--slo-p95-ms", "Infinity"], "--slo-p95-ms must be positive"),
        ];
        foreach (var (policy, args, message) in cases)
        {
            var run = await scratch.RunAsync(["simulate", "--trace", trace, "--policy", policy, "--output", output, .. args]);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(output), "a failed simulation writes no summary");
    }
}
