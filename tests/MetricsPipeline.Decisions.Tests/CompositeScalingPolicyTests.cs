using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class CompositeScalingPolicyTests
{
    private const string Schema = "scaling-command.v1.schema.json";

    [Fact]
    public void WhenAScheduledMinimumIsOpenThenTheReactivePolicyDoesNotScaleInBelowIt()
    {
        // T0 is Monday 08:00; the window opens then for 10 hours. The service is quiet: 40 CPU-percent in total.
        var schedule = new ScheduledScalingPolicy([new ScheduledScalingRule("business-hours", "api", CronSchedule.Parse("0 8 * * 1-5"), TimeSpan.FromHours(10), 12)]);
        var composite = new CompositeScalingPolicy(schedule, new ReactiveScalingPolicy());
        int instances = 2;
        var commands = new List<(int Minute, ScalingCommand Command)>();
        for (int minute = -60; minute <= 120; minute++)
        {
            if (composite.Evaluate(At(minute, instances, 40.0 / instances)) is { } command)
            {
                commands.Add((minute, command));
                instances = command.TargetInstances;
            }

            if (minute >= 0)
            {
                Assert.True(instances >= 12, $"minute {minute}: {instances} instances in the scheduled window of at least 12");
            }
        }

        // Before 08:00 the quiet service may scale in; from 08:00 on exactly one command: the schedule's.
        var open = commands.Where(c => c.Minute >= 0).ToList();
        var only = Assert.Single(open);
        Assert.Equal((0, ScalingTrigger.Scheduled, 12), (only.Minute, only.Command.Trigger, only.Command.TargetInstances));
    }

    [Fact]
    public void WhenAReactiveScaleInWouldCrossTheScheduledMinimumThenItStopsThereWithItsOwnIdAndCost()
    {
        var schedule = new ScheduledScalingPolicy([new ScheduledScalingRule("business-hours", "api", CronSchedule.Parse("0 8 * * 1-5"), TimeSpan.FromHours(10), 12)]);
        var composite = new CompositeScalingPolicy(schedule, new ReactiveScalingPolicy());
        // 14 instances at 5 % CPU inside the window: alone, the reactive policy would halve them (its step limit) to 7.
        ScalingCommand? cut = null;
        for (int minute = 0; minute <= 60 && cut is null; minute++)
        {
            cut = composite.Evaluate(At(minute, 14, 5));
        }

        Assert.NotNull(cut);
        Assert.Equal((ScalingTrigger.Reactive, ScalingAction.ScaleIn, 12), (cut.Trigger, cut.Action, cut.TargetInstances));
        Assert.Equal(ScalingCommandId.Compute("api", cut.Trigger, cut.Rule, cut.IssuedAt, 12), cut.Id);
        Assert.Equal(Math.Round(-2 * 0.10 * ScalingCommandFactory.HoursPerMonth, 2), cut.EstimatedMonthlyCostDelta);
        Assert.Contains("limited to 12", cut.Reason, StringComparison.Ordinal);
        RepositoryFiles.AssertValid(Schema, ScalingCommandJson.ToJson(cut));
    }

    [Fact]
    public void WhenTheGrowthPhaseCapsInstancesThenAReactiveScaleOutStopsAtThePhaseMaximum()
    {
        // The startup phase (under 1 000 active users) runs 1–4 instances.
        var composite = new CompositeScalingPolicy(new GrowthPhasePolicy(), new ReactiveScalingPolicy());
        var full = composite.Evaluate(At(0, 4, 95) with { ActiveUsers = 500 });
        Assert.Null(full); // cpu critical wants ceil(4 × 95 / 70) = 6, but the phase allows 4

        var other = new CompositeScalingPolicy(new GrowthPhasePolicy(), new ReactiveScalingPolicy());
        var command = other.Evaluate(At(0, 3, 95) with { ActiveUsers = 500 });
        Assert.NotNull(command);
        Assert.Equal((ScalingAction.ScaleOut, 4), (command.Action, command.TargetInstances));
        RepositoryFiles.AssertValid(Schema, ScalingCommandJson.ToJson(command));
    }

    [Fact]
    public void WhenNoServiceHasActiveUsersThenTheGrowthPhaseDoesNotCapIt()
    {
        var composite = new CompositeScalingPolicy(new GrowthPhasePolicy(), new ReactiveScalingPolicy());
        var command = composite.Evaluate(At(0, 10, 95));
        Assert.Equal(14, command!.TargetInstances); // ceil(10 × 95 / 70)
    }

    [Fact]
    public void WhenPredictiveScalingIsForecastOnlyThenItsAdvisoryCommandLeavesTheComposite()
    {
        var predictive = new PredictiveScalingPolicy(new PredictiveScalingOptions { Mode = PredictiveScalingMode.ForecastOnly, CapacityPerInstance = 10 },
            _ => new SsaLoadForecaster());
        var composite = new CompositeScalingPolicy(new ReactiveScalingPolicy(), predictive);
        var command = composite.Evaluate(At(0, 2, 50, rate: 100));
        Assert.NotNull(command);
        Assert.True(command.Advisory);
        Assert.Equal(ScalingTrigger.Predictive, command.Trigger);

        // A policy that acts wins over advice.
        var acting = new CompositeScalingPolicy(new ReactiveScalingPolicy(), new PredictiveScalingPolicy(
            new PredictiveScalingOptions { Mode = PredictiveScalingMode.ForecastOnly, CapacityPerInstance = 10 }, _ => new SsaLoadForecaster()));
        var critical = acting.Evaluate(At(0, 2, 95, rate: 100));
        Assert.False(critical!.Advisory);
        Assert.Equal(ScalingTrigger.Reactive, critical.Trigger);
    }
}
