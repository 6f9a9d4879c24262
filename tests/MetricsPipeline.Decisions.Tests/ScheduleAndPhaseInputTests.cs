using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>Scheduled rules and growth phases that cannot work fail when the policy is built, naming the rule or phase.</summary>
public sealed class ScheduleAndPhaseInputTests
{
    [Theory]
    [InlineData(1000, 5, 2, 70)]        // min above max: before, Math.Clamp threw "'5' cannot be greater than 2." at the first phase change
    [InlineData(double.NaN, 1, 4, 70)]  // NaN users: before, the phase could never be entered
    [InlineData(1000, 1, 4, double.NaN)] // NaN target: before, passed on to the reactive policy, which fell back silently
    [InlineData(-5, 1, 4, 70)]
    public void WhenAGrowthPhaseIsInvalidThenThePolicyRefusesItNamingThePhase(double users, int min, int max, double target)
    {
        var e = Assert.Throws<ArgumentException>(() => new GrowthPhasePolicy([new GrowthPhase("startup", 0, 1, 4, 70), new GrowthPhase("broken", users, min, max, target)]));
        Assert.Contains("broken", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTwoGrowthPhasesStartAtTheSameUserCountThenThePolicyRefusesThem()
    {
        var e = Assert.Throws<ArgumentException>(() => new GrowthPhasePolicy([new GrowthPhase("a", 0, 1, 4, 70), new GrowthPhase("b", 1000, 2, 20, 65), new GrowthPhase("c", 1000, 4, 40, 60)]));
        Assert.Contains("1000", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 3)]   // a zero-length window: before, never open, silently
    [InlineData(-60, 3)]
    [InlineData(60, -1)]
    public void WhenAScheduledRuleCannotWorkThenThePolicyRefusesItNamingTheRule(int durationMinutes, int minInstances)
    {
        var rule = new ScheduledScalingRule("business-hours", "api", CronSchedule.Parse("0 8 * * 1-5"), TimeSpan.FromMinutes(durationMinutes), minInstances);
        var e = Assert.Throws<ArgumentException>(() => new ScheduledScalingPolicy([rule]));
        Assert.Contains("business-hours", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheDefaultPhasesAndAValidScheduleAreUsedThenThePoliciesStillWork()
    {
        var phases = new GrowthPhasePolicy();
        Assert.Null(phases.Evaluate(At(0, 2, 50) with { ActiveUsers = 10 }));
        var schedule = new ScheduledScalingPolicy([new ScheduledScalingRule("r", "api", CronSchedule.Parse("0 8 * * *"), TimeSpan.FromHours(1), 6)]);
        Assert.Equal(6, schedule.Evaluate(At(0, 2, 50))!.TargetInstances);
    }
}
