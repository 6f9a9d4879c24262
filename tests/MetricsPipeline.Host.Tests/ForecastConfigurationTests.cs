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
}
