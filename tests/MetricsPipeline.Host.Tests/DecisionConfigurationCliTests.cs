using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary><c>run</c> checks the decision settings (<c>Analytics:Scaling</c>, <c>:Alerts</c>, <c>:Cost</c>) before it starts, like the others.</summary>
public sealed class DecisionConfigurationCliTests
{
    [Theory]
    [InlineData("""{ "Scaling": { "WindowSize": "five" } }""", "Analytics:Scaling:WindowSize")]
    [InlineData("""{ "Alerts": { "Enabeld": false } }""", "Analytics:Alerts:Enabeld")]
    [InlineData("""{ "Cost": { "ForecastMinDays": 0 } }""", "Analytics:Cost:ForecastMinDays")]
    public async Task WhenADecisionSettingIsWrongThenRunFailsBeforeStartingNamingTheKey(string analytics, string key)
    {
        // Before: a wrong type or range was an unhandled exception with a stack trace after the host had started
        // (exit code 1), and a misspelt key was skipped and the pipeline ran.
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"mp-decisions-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, $$"""{ "Analytics": {{analytics}}, "Output": { "Directory": "{{Path.GetTempPath()}}" }, "Kafka": { "BootstrapServers": "127.0.0.1:1" } }""", ct);
        try
        {
            var run = await HostProcess.RunAsync(["run", "--config", path], TimeSpan.FromMinutes(1), ct);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(key, run.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled", run.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
