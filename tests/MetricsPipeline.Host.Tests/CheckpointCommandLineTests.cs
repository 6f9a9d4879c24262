using Xunit;

namespace MetricsPipeline.Host.Tests;

public sealed class CheckpointCommandLineTests
{
    [Theory]
    [InlineData("""{ "Analytics": { "State": { "Interval": "-00:00:01" } }, "Output": { "Directory": "/tmp/x" } }""")]
    [InlineData("""{ "Analytics": { "State": { "Interval": "soon" } }, "Output": { "Directory": "/tmp/x" } }""")]
    public async Task WhenTheCheckpointIntervalIsInvalidThenRunFailsFastNamingTheSetting(string json)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"mp-state-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json, ct);
        try
        {
            var run = await HostProcess.RunAsync(["run", "--config", path, "--state-dir", Path.GetTempPath()], TimeSpan.FromMinutes(1), ct);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("Analytics:State", run.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WhenTheStateStoreIsUnknownThenRunFailsFastNamingTheSetting()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"mp-state-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{ "Output": { "Directory": "/tmp/x" } }""", ct);
        try
        {
            var run = await HostProcess.RunAsync(["run", "--config", path, "--state-store", "cloud"], TimeSpan.FromMinutes(1), ct);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("Analytics:State:Store", run.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
