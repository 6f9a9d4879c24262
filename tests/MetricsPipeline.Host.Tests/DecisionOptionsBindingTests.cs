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
}
