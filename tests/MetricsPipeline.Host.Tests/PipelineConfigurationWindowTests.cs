using MetricsPipeline.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>Binding of the window and rollup settings (<c>Analytics:Windows</c>, <c>Analytics:Rollups</c>) and the
/// retention-policy routing derived from them.</summary>
public sealed class PipelineConfigurationWindowTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();

    [Fact]
    public void WhenWindowListsAndNewerOptionsAreConfiguredThenTheyReplaceTheDefaults()
    {
        var settings = PipelineConfiguration.Bind(Config(
            ("Output:Directory", "/tmp/out"),
            ("Analytics:Windows:Sizes:0", "00:00:30"),
            ("Analytics:Windows:KeepSketchesFor:0", "00:00:30"),
            ("Analytics:Windows:CounterSuffixes:0", "_ops"),
            ("Analytics:Windows:LateUpdateHorizon", "00:05:00"),
            ("Analytics:Windows:MaxWindowsPerBatch", "500"),
            ("Analytics:Windows:MaxSeries", "1234"),
            ("Analytics:Windows:RetentionPolicies:30s", "raw_30s")));

        var windows = settings.Windows;
        Assert.Equal([TimeSpan.FromSeconds(30)], windows.Sizes);
        Assert.Equal([TimeSpan.FromSeconds(30)], windows.KeepSketchesFor);
        Assert.Equal(["_ops"], windows.CounterSuffixes);
        Assert.Equal(TimeSpan.FromMinutes(5), windows.LateUpdateHorizon);
        Assert.Equal(500, windows.MaxWindowsPerBatch);
        Assert.Equal(1234, windows.MaxSeries);
        Assert.Equal("raw_30s", windows.RetentionPolicies["30s"]);
        Assert.Null(settings.Rollups);
    }

    [Fact]
    public void WhenRollupsAreEnabledThenEveryResolutionIsRoutedToItsRetentionPolicy()
    {
        var settings = PipelineConfiguration.Bind(Config(
            ("InfluxDb:Url", "http://localhost:8086"),
            ("InfluxDb:Database", "metrics"),
            ("Analytics:Rollups:Levels:0:Size", "00:05:00"),
            ("Analytics:Rollups:Levels:0:RetentionPolicy", "five"),
            ("Analytics:Rollups:Levels:0:Retention", "30.00:00:00")));

        var rollups = Assert.IsType<Analytics.Windows.RollupOptions>(settings.Rollups);
        Assert.Equal([TimeSpan.FromMinutes(5)], rollups.Levels.Select(l => l.Size));
        Assert.Equal("agg_1m", settings.Windows.RetentionPolicies["1m"]);
        var influx = settings.InfluxDb!;
        Assert.Equal(new Dictionary<string, string> { ["1m"] = "agg_1m", ["5m"] = "five" }, influx.RetentionPolicies);
        Assert.Equal(
            [new("agg_1m", TimeSpan.FromDays(7)), new KeyValuePair<string, TimeSpan>("five", TimeSpan.FromDays(30))],
            settings.RollupRetentionPolicies());
    }

    [Fact]
    public void WhenTheRollupSourceIsNotAWindowSizeThenBindingFailsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => PipelineConfiguration.Bind(Config(
            ("Output:Directory", "/tmp/out"),
            ("Analytics:Windows:Sizes:0", "00:00:10"),
            ("Analytics:Rollups:Enabled", "true"))));

        Assert.Contains("Analytics:Rollups:Source:Size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenRollupsAreExplicitlyDisabledThenNoneAreConfigured()
    {
        var settings = PipelineConfiguration.Bind(Config(("Output:Directory", "/tmp/out"), ("Analytics:Rollups:Enabled", "false")));

        Assert.Null(settings.Rollups);
        Assert.Empty(settings.Windows.RetentionPolicies);
    }
}
