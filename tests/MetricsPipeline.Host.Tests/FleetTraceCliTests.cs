using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>metrics-pipeline fleet-trace</c> as a child process: a <c>timestamp,value</c> CSV that the other offline commands read.</summary>
public class FleetTraceCliTests
{
    [Fact]
    public async Task WhenAFleetTraceIsWrittenThenItHasOneRowPerStepIsDeterministicForTheSeedAndSimulateReadsIt()
    {
        using var scratch = new CliScratch("fleet-trace");
        string[] common = ["fleet-trace", "--service", "api", "--metric", "requests", "--days", "0.25", "--step", "5m", "--start", "2026-11-02T00:00:00Z"];
        await scratch.RunOkAsync([.. common, "--seed", "42", "--output", scratch.PathOf("a.csv")]);
        await scratch.RunOkAsync([.. common, "--seed", "42", "--output", scratch.PathOf("b.csv")]);
        await scratch.RunOkAsync([.. common, "--seed", "43", "--output", scratch.PathOf("c.csv")]);

        var a = File.ReadAllLines(scratch.PathOf("a.csv"));
        Assert.Equal("timestamp,value", a[0]);
        Assert.Equal(6 * 12, a.Length - 1); // 6 hours of 5-minute rows
        Assert.Equal("2026-11-02 00:00:00", a[1].Split(',')[0]);
        Assert.Equal("2026-11-02 00:05:00", a[2].Split(',')[0]);
        Assert.All(a.Skip(1), l => Assert.True(double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture) > 0, l));
        Assert.Equal(a, File.ReadAllLines(scratch.PathOf("b.csv")));
        Assert.NotEqual(a, File.ReadAllLines(scratch.PathOf("c.csv")));

        // The trace is a complete simulate input.
        await scratch.RunOkAsync("simulate", "--trace", scratch.PathOf("a.csv"), "--policy", "reactive", "--output", scratch.PathOf("summary.json"));
        Assert.InRange(scratch.ReadJson("summary.json").GetProperty("total_minutes").GetInt32(), (6 * 60) - 6, 6 * 60); // the last row starts the last 5 minutes
    }

    [Fact]
    public async Task WhenTheServiceMetricOrDaysAreInvalidThenFleetTraceFailsNamingTheProblem()
    {
        using var scratch = new CliScratch("fleet-trace-errors");
        var metric = await scratch.RunAsync("fleet-trace", "--service", "api", "--metric", "bananas", "--output", scratch.PathOf("x.csv"));
        Assert.NotEqual(0, metric.ExitCode);
        Assert.Contains("Unknown metric 'bananas'", metric.StandardError, StringComparison.Ordinal);

        var days = await scratch.RunAsync("fleet-trace", "--service", "api", "--days", "0", "--output", scratch.PathOf("x.csv"));
        Assert.NotEqual(0, days.ExitCode);
        Assert.Contains("--days", days.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.PathOf("x.csv")));

        // The services are listed; the code's parameter name is not appended to what the user reads.
        var service = await scratch.RunAsync("fleet-trace", "--service", "billing", "--output", scratch.PathOf("x.csv"));
        Assert.NotEqual(0, service.ExitCode);
        Assert.Contains("Unknown service 'billing'; the fleet has api, checkout, search, auth.", service.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheDaysHoldNoWholeStepThenFleetTraceFailsInsteadOfWritingAHeaderOnly()
    {
        using var scratch = new CliScratch("fleet-trace-empty");
        var run = await scratch.RunAsync("fleet-trace", "--service", "api", "--days", "0.0001", "--step", "5m", "--output", scratch.PathOf("x.csv"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--days 0.0001", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("--step 5m", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.PathOf("x.csv")));
    }
}
