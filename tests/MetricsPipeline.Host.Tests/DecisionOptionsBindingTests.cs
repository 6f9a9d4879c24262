using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Host.Stages;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>The decision stage's new settings bind from configuration as the README documents them.</summary>
public sealed class DecisionOptionsBindingTests
{
    [Fact]
    public void WhenCapacitiesBudgetsAndThePredictiveModeAreConfiguredThenTheyBind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Scaling:CapacityPerInstance:api"] = "450",
            ["Analytics:Scaling:Predictive:Mode"] = "ScaleOutOnly",
            ["Analytics:Scaling:Predictive:TargetUtilization"] = "0.7",
            ["Analytics:Scaling:RepeatInterval"] = "00:05:00",
            ["Analytics:Cost:AutoBudget"] = "false",
            ["Analytics:Cost:Budgets:0:Name"] = "fleet",
            ["Analytics:Cost:Budgets:0:Period"] = "Quarterly",
            ["Analytics:Cost:Budgets:0:Amount"] = "1200",
            ["Analytics:Cost:Budgets:1:Name"] = "api",
            ["Analytics:Cost:Budgets:1:Period"] = "Monthly",
            ["Analytics:Cost:Budgets:1:Amount"] = "300",
            ["Analytics:Cost:Budgets:1:Scope"] = "api",
        }).Build();
        var options = new ScalingStageOptions();

        configuration.GetSection("Analytics:Scaling").Bind(options);
        configuration.GetSection("Analytics:Cost").Bind(options.Cost);

        Assert.Equal(450, options.CapacityPerInstance["api"]);
        Assert.Equal(MetricsPipeline.Decisions.Scaling.PredictiveScalingMode.ScaleOutOnly, options.Predictive.Mode);
        Assert.Equal(0.7, options.Predictive.TargetUtilization);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RepeatInterval);
        Assert.False(options.Cost.AutoBudget);
        Assert.Equal([new Budget("fleet", BudgetPeriod.Quarterly, 1200), new Budget("api", BudgetPeriod.Monthly, 300, "api")], options.Cost.Budgets);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Theory]
    [InlineData("Analytics:Alerts:Enabeld", "false", "Analytics:Alerts:Enabeld")]
    [InlineData("Analytics:Scaling:CapacityPerInstanse:api", "450", "Analytics:Scaling:CapacityPerInstanse")]
    [InlineData("Analytics:Scaling:Predictive:TargetUtilisation", "0.7", "Analytics:Scaling:Predictive:TargetUtilisation")]
    [InlineData("Analytics:Cost:Budgets:0:Ammount", "300", "Analytics:Cost:Budgets:0:Ammount")]
    [InlineData("Analytics:Alerts:Rules:cpu_high:Fro", "00:05:00", "Analytics:Alerts:Rules:cpu_high:Fro")]
    public void WhenADecisionKeyIsMisspeltThenBindingFailsNamingIt(string key, string value, string named)
    {
        // Before: the binder skipped the key without a word (alerts stayed on, the capacity stayed estimated).
        var e = Assert.Throws<ArgumentException>(() => ScalingStageOptions.From(Config((key, value), ("Analytics:Cost:Budgets:0:Name", "fleet"))));
        Assert.StartsWith($"{named} is not a setting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenEveryDocumentedDecisionSectionIsSetThenNothingIsRejected()
    {
        var options = ScalingStageOptions.From(Config(
            ("Analytics:Scaling:Enabled", "true"), ("Analytics:Scaling:Policy:MinInstances", "2"), ("Analytics:Scaling:CapacityPerInstance:api", "450"),
            ("Analytics:Scaling:Schedules:0:Name", "mornings"), ("Analytics:Scaling:Phases:0:Name", "startup"),
            ("Analytics:Alerts:Enabled", "false"), ("Analytics:Alerts:StateRetention", "1.00:00:00"), ("Analytics:Alerts:Rules:cpu_high:For", "00:05:00"),
            ("Analytics:Alerts:Rules:cpu_high:Levels:0:Threshold", "85"), ("Analytics:Cost:PricePerInstanceHour", "0.2"), ("Analytics:Cost:Budgets:0:Period", "Monthly"),
            ("Analytics:Cost:Budgets:0:Name", "fleet"), ("Analytics:Cost:Budgets:0:Amount", "100"), ("Analytics:Cost:forecastMinDays", "3"), ("Analytics:Cost:Enabled", "true")));
        Assert.Equal((2, 450.0, false, 0.2, 3), (options.Policy.MinInstances, options.CapacityPerInstance["api"], options.AlertsEnabled, options.PricePerInstanceHour, options.Cost.ForecastMinDays));
    }
}
