using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScheduledAndPhaseScalingTests
{
    // 2026-11-02 is a Monday.
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 8 * * 1-5", "2026-11-02T08:00:00Z", true)]
    [InlineData("0 8 * * 1-5", "2026-11-01T08:00:00Z", false)] // Sunday
    [InlineData("*/15 * * * *", "2026-11-02T10:45:00Z", true)]
    [InlineData("*/15 * * * *", "2026-11-02T10:46:00Z", false)]
    [InlineData("30 9 1 * *", "2026-12-01T09:30:00Z", true)]
    [InlineData("0 0 * * 7", "2026-11-01T00:00:00Z", true)] // 7 is Sunday
    [InlineData("0 12 15 * 1", "2026-11-02T12:00:00Z", true)] // day-of-month or weekday
    public void WhenACronExpressionIsMatchedThenFieldsFollowCronSemantics(string expression, string time, bool expected)
    {
        Assert.Equal(expected, CronSchedule.Parse(expression).Matches(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("0 8 * *")]
    [InlineData("60 8 * * *")]
    [InlineData("0 8-6 * * *")]
    [InlineData("x 8 * * *")]
    public void WhenACronExpressionIsInvalidThenParsingFails(string expression)
    {
        Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
    }

    [Fact]
    public void WhenTheBusinessHoursWindowIsOpenThenTheServiceIsScaledToItsMinimumAndNotBeyondIt()
    {
        var policy = new ScheduledScalingPolicy([new ScheduledScalingRule("business-hours", "api", CronSchedule.Parse("0 8 * * 1-5"), TimeSpan.FromHours(10), 12)]);
        Assert.Null(policy.Evaluate(new ServiceSnapshot("api", Monday.AddHours(7.5), 4)));
        var command = policy.Evaluate(new ServiceSnapshot("api", Monday.AddHours(8), 4));
        Assert.NotNull(command);
        Assert.Equal((ScalingTrigger.Scheduled, "business-hours", 12, ScalingAction.ScaleOut), (command.Trigger, command.Rule, command.TargetInstances, command.Action));
        Assert.Null(policy.Evaluate(new ServiceSnapshot("api", Monday.AddHours(12), 15)));
        Assert.Null(policy.Evaluate(new ServiceSnapshot("api", Monday.AddHours(18), 4))); // window closed
        Assert.Null(policy.Evaluate(new ServiceSnapshot("search", Monday.AddHours(9), 1)));
        RepositoryFiles.AssertValid("scaling-command.v1.schema.json", ScalingCommandJson.ToJson(command));
    }

    [Fact]
    public void WhenActiveUsersCrossPhaseThresholdsThenPhaseTransitionsAreCommandsWithHysteresis()
    {
        var policy = new GrowthPhasePolicy();
        ScalingCommand? At(int minute, double users, int instances) =>
            policy.Evaluate(new ServiceSnapshot("api", Monday.AddMinutes(minute), instances) { ActiveUsers = users });

        Assert.Null(At(0, 500, 2));
        Assert.Equal("startup", policy.CurrentPhase("api").Name);
        var growth = At(1, 1_200, 2);
        Assert.NotNull(growth);
        Assert.Equal((ScalingTrigger.Phase, "phase_growth", ScalingAction.Hold, 2), (growth.Trigger, growth.Rule, growth.Action, growth.TargetInstances));
        Assert.Null(At(2, 950, 2)); // within 10 % below the threshold: stays in growth
        Assert.Equal("growth", policy.CurrentPhase("api").Name);
        var scale = At(3, 15_000, 2);
        Assert.Equal((ScalingAction.ScaleOut, 4), (scale!.Action, scale.TargetInstances)); // the scale phase's minimum
        var back = At(4, 950, 30);
        Assert.Equal(("phase_growth", ScalingAction.ScaleIn, 20), (back!.Rule, back.Action, back.TargetInstances)); // 950 is below scale but within growth's 10 % hysteresis
        Assert.Equal(65, policy.CurrentPhase("api").TargetCpuPercent);
    }

    [Fact]
    public void WhenAGrowthPhaseIsActiveThenTheReactivePolicyScalesToItsCpuTarget()
    {
        GrowthPhase[] phases = [new("startup", 0, 1, 20, 70), new("growth", 1_000, 1, 20, 50)];
        var phasePolicy = new GrowthPhasePolicy(phases);
        var composite = new CompositeScalingPolicy(phasePolicy, new ReactiveScalingPolicy(null, phasePolicy));
        Assert.True(double.IsNaN(phasePolicy.TargetCpuPercentFor("api")));

        // 4 instances at 92 % (critical) with 5 000 users: the growth phase's 50 % gives ceil(4 × 92 / 50) = 8.
        var growth = composite.Evaluate(Snapshots.At(0, 4, 92) with { ActiveUsers = 5_000 });
        Assert.Equal(("cpu_critical", 8), (growth!.Rule, growth.TargetInstances));
        Assert.Equal(50, phasePolicy.TargetCpuPercentFor("api"));

        // Another service in the startup phase: 70 % gives 6; without a targets policy the options' 70 % too.
        var startup = composite.Evaluate(Snapshots.At(0, 4, 92, service: "web") with { ActiveUsers = 500 });
        Assert.Equal(6, startup!.TargetInstances);
        Assert.Equal(6, new ReactiveScalingPolicy().Evaluate(Snapshots.At(0, 4, 92))!.TargetInstances);
    }
}
