using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Microsoft.Extensions.Configuration;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>The playbook's alert rules overridden from <c>Analytics:Alerts:Rules</c> in the decision stage.</summary>
public sealed class AlertRuleOptionsTests
{
    private static AggregateBatch Minute(int minute, double cpu) =>
        new([new WindowResult(0, "service", [new("instance", "api-0"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 100), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", 4)])],
            [], T0 + ((minute + 1) * MinuteNs));

    private static ScalingStageOptions Bound(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new ScalingStageOptions { PredictiveEnabled = false, Cost = { Enabled = false } };
        configuration.GetSection("Analytics:Alerts:Rules").Bind(options.AlertRules);
        return options;
    }

    [Fact]
    public void WhenCpuHighIsGivenAForDurationAndLevelsThenTheStageFiresOnlyOnceTheBreachHeldThatLong()
    {
        var options = Bound(new()
        {
            ["Analytics:Alerts:Rules:cpu_high:For"] = "00:03:00",
            ["Analytics:Alerts:Rules:cpu_high:Levels:0:Severity"] = "Warning",
            ["Analytics:Alerts:Rules:cpu_high:Levels:0:Threshold"] = "60",
            ["Analytics:Alerts:Rules:cpu_high:Levels:0:Reset"] = "55",
        });
        var alerts = new List<(int Minute, JsonElement Alert)>();
        int minute = 0;
        var stage = new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "alerts")
            {
                alerts.Add((minute, JsonDocument.Parse(value).RootElement.Clone()));
            }
        });
        for (; minute < 6; minute++)
        {
            stage.OnWindows(Minute(minute, 65)); // above the configured 60, below the playbook's 80
        }

        var (at, alert) = Assert.Single(alerts);
        Assert.Equal(3, at); // breached from minute 0, held 3 minutes at minute 3
        Assert.Equal(("cpu_high", "warning", 60.0), (alert.GetProperty("rule").GetString(), alert.GetProperty("severity").GetString(), alert.GetProperty("threshold").GetDouble()));
    }

    [Fact]
    public void WhenAnOverrideNamesNoRuleThenTheStageRefusesToStartListingTheRules()
    {
        var options = Bound(new() { ["Analytics:Alerts:Rules:cpu:For"] = "00:05:00" });
        var ex = Assert.Throws<ArgumentException>(() => new ScalingStage(options, new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains("Analytics:Alerts:Rules:cpu names no alert rule", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cpu_high", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Threshold", "50", "Reset", "60")]
    [InlineData("Severity", "Critical", "Threshold", "90")]
    public void WhenOverriddenLevelsAreInconsistentThenTheStageRefusesToStart(string key1, string value1, string key2, string value2)
    {
        var options = Bound(new()
        {
            ["Analytics:Alerts:Rules:cpu_high:Levels:0:Severity"] = "Critical",
            ["Analytics:Alerts:Rules:cpu_high:Levels:0:Threshold"] = "80",
            ["Analytics:Alerts:Rules:cpu_high:Levels:0:Reset"] = "70",
            [$"Analytics:Alerts:Rules:cpu_high:Levels:1:{key1}"] = value1,
            [$"Analytics:Alerts:Rules:cpu_high:Levels:1:{key2}"] = value2,
        });
        var ex = Assert.Throws<ArgumentException>(() => new ScalingStage(options, new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains("Analytics:Alerts:Rules:cpu_high:Levels:1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenNothingIsOverriddenThenTheRulesAreThePlaybooks()
    {
        Assert.Equal(PlaybookAlertRules.Defaults().Select(r => (r.Name, r.For, r.Levels.Count)), AlertRuleOptions.Build(new Dictionary<string, AlertRuleOptions>()).Select(r => (r.Name, r.For, r.Levels.Count)));
    }
}
