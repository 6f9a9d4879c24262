using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>run</c> with a bad <c>Analytics:Forecasting</c> section fails at start, naming the setting (exit 2).</summary>
public sealed class ForecastConfigurationTests
{
    [Theory]
    [InlineData("""{ "Series": [ { "Statistic": "avg" } ] }""", "Analytics:Forecasting:Series (service.request_rate.avg.1m): unknown statistic 'avg'")]
    [InlineData("""{ "Series": [ { "Window": "5x" } ] }""", "Analytics:Forecasting:Series (service.request_rate.mean.5x): Window '5x' is not a window size")]
    [InlineData("""{ "Horizon": 0 }""", "Analytics:Forecasting:Horizon must be positive.")]
    [InlineData("""{ "ReloadInterval": "abc" }""", "Analytics:Forecasting: Failed to convert configuration value 'abc' at 'Analytics:Forecasting:ReloadInterval'")]
    [InlineData("""{ "Series": [ { "Name": "rate" }, { "Combine": "Median" } ] }""", "Analytics:Forecasting: Failed to convert configuration value 'Median' at 'Analytics:Forecasting:Series:1:Combine'")]
    public async Task WhenTheForecastingSectionIsInvalidThenRunFailsAtStartNamingTheSetting(string section, string expected)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mp-fc-config-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "appsettings.json");
        await File.WriteAllTextAsync(
            config,
            $$"""{ "Output": { "Directory": "{{Path.Combine(dir, "out").Replace("\\", "/", StringComparison.Ordinal)}}" }, "Analytics": { "Forecasting": {{section}} } }""",
            TestContext.Current.CancellationToken);

        var run = await HostProcess.RunAsync(["run", "--config", config], TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}");
        Assert.StartsWith($"error: invalid configuration: {expected}", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenNoForecastSeriesIsOnAProducedWindowThenRunFailsAtStartSayingNothingWouldBeForecast()
    {
        var run = await Run("""{ "Forecasting": { "Series": [ { "Window": "5m" } ] } }""");

        Assert.True(run.ExitCode == 2, Describe(run));
        Assert.StartsWith(
            "error: invalid configuration: Analytics:Forecasting: no series is on a window the pipeline produces (10s, 1m), so nothing would ever be forecast",
            run.StandardError,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenOneForecastSeriesIsOnAWindowThePipelineDoesNotProduceThenRunWarnsNamingIt()
    {
        // The bad State store stops run right after the forecasting check, before it would connect to Kafka.
        var run = await Run("""{ "Forecasting": { "Series": [ { "Name": "rate" }, { "Name": "slow", "Window": "5m" }, { "Name": "odd", "Window": "60s" } ] }, "State": { "Store": "bogus" } }""");

        Assert.True(run.ExitCode == 2, Describe(run));
        Assert.Contains("warning: Analytics:Forecasting:Series (service.request_rate.mean.5m): Window '5m' is not a window size the pipeline produces (10s, 1m): the series is never forecast", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("warning: Analytics:Forecasting:Series (service.request_rate.mean.60s): Window '60s' is written '1m' by the pipeline", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("mean.1m)", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Analytics:State:Store must be", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenARollupLevelProducesTheWindowThenRunDoesNotWarn()
    {
        var run = await Run("""{ "Forecasting": { "Series": [ { "Window": "5m" } ] }, "Rollups": { "Source": { "Size": "00:01:00" } }, "State": { "Store": "bogus" } }""");

        Assert.True(run.ExitCode == 2, Describe(run));
        Assert.DoesNotContain("warning: Analytics:Forecasting", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Analytics:State:Store must be", run.StandardError, StringComparison.Ordinal);
    }

    private static async Task<HostProcess.Result> Run(string analytics)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mp-fc-config-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "appsettings.json");
        await File.WriteAllTextAsync(
            config,
            $$"""{ "Output": { "Directory": "{{Path.Combine(dir, "out").Replace("\\", "/", StringComparison.Ordinal)}}" }, "Analytics": {{analytics}} }""",
            TestContext.Current.CancellationToken);
        return await HostProcess.RunAsync(["run", "--config", config], TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    private static string Describe(HostProcess.Result run) => $"exit {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}";
}
