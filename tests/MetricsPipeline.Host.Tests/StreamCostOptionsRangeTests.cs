using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>Cost settings that cannot work stop the stage at start-up, naming the key, not at the first day's close.</summary>
public sealed class StreamCostOptionsRangeTests
{
    private static ScalingStageOptions Options() => new() { PredictiveEnabled = false, AlertsEnabled = false };

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    [InlineData(double.NaN)]
    public void WhenABudgetAmountIsNotPositiveThenTheStageRefusesToStartNamingTheBudget(double amount)
    {
        // Before: accepted at start-up; the BudgetMonitor built at the first day's close threw "Budget amounts must be
        // positive." in the middle of the stream.
        var options = Options();
        options.Cost.Budgets.Add(new Budget("fleet", BudgetPeriod.Monthly, amount, "api"));
        var e = Assert.Throws<ArgumentException>(() => new ScalingStage(options, new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains("Analytics:Cost:Budgets", e.Message, StringComparison.Ordinal);
        Assert.Contains("fleet", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CostAnomalyRatio", 0.5)]
    [InlineData("CostAnomalyRatio", double.NaN)]
    [InlineData("UsageSpikeRatio", -1)]
    [InlineData("AutoBudgetHeadroom", -0.5)]
    [InlineData("RecommendBelowPercent", double.NaN)]
    public void WhenACostRatioIsOutOfRangeThenTheStageRefusesToStartNamingIt(string setting, double value)
    {
        // Before: accepted; a ratio of NaN or below 1 made every day an anomaly or none, silently.
        var options = Options();
        typeof(StreamCostOptions).GetProperty(setting)!.SetValue(options.Cost, value);
        var e = Assert.Throws<ArgumentException>(() => new ScalingStage(options, new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains("Analytics:Cost:" + setting, e.Message, StringComparison.Ordinal);
    }
}
