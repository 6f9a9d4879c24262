using Xunit;

namespace MetricsPipeline.Host.Tests;

public class CommandLineTests
{
    [Fact]
    public async Task WhenTheConfigurationHasABadValueThenRunFailsFastNamingTheSetting()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"mp-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{ "Analytics": { "Windows": { "Grace": "not a time" } }, "Output": { "Directory": "/tmp/x" } }""", ct);
        var run = await HostProcess.RunAsync(["run", "--config", path], TimeSpan.FromMinutes(1), ct);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Analytics:Windows:Grace", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenNoOutputIsConfiguredThenRunSaysWhichSettingIsMissing()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"mp-empty-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{}", ct);
        var run = await HostProcess.RunAsync(["run", "--config", path], TimeSpan.FromMinutes(1), ct);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("InfluxDb:Url", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheDemoGetsAnUnknownDurationThenItExitsWithAClearError()
    {
        var run = await HostProcess.RunAsync(["demo", "--duration", "soon"], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--duration", run.StandardError, StringComparison.Ordinal);
    }
}
