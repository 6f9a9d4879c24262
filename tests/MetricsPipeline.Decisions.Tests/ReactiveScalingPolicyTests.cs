using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ReactiveScalingPolicyTests
{
    [Fact]
    public void WhenCpuStaysAbove80ForFiveMinutesThenTheCommandComesWithinOneEvaluationInterval()
    {
        var policy = new ReactiveScalingPolicy();
        var commands = new List<(int Minute, ScalingCommand Command)>();
        for (int minute = 0; minute <= 10; minute++)
        {
            // The breach starts at minute 2 (between evaluations it would start at 1:30; the evaluation at 2 sees it first).
            if (policy.Evaluate(At(minute, 10, minute >= 2 ? 85 : 60)) is { } c)
            {
                commands.Add((minute, c));
            }
        }

        var (at, command) = Assert.Single(commands);
        Assert.True(at <= 2 + 5 + 1, $"command at minute {at}");
        Assert.Equal(7, at);
        Assert.Equal("cpu_sustained", command.Rule);
        Assert.Equal(ScalingTrigger.Reactive, command.Trigger);
        Assert.Equal(ScalingAction.ScaleOut, command.Action);
        Assert.Equal(13, command.TargetInstances); // ceil(10 × 85 / 70)
        Assert.Equal(T0.AddMinutes(12), command.CooldownUntil);
    }

    [Fact]
    public void WhenCpuIsCriticalThenTheFirstEvaluationScalesOut()
    {
        var policy = new ReactiveScalingPolicy();
        Assert.Null(policy.Evaluate(At(0, 4, 50)));
        var command = policy.Evaluate(At(1, 4, 95));
        Assert.NotNull(command);
        Assert.Equal("cpu_critical", command.Rule);
        Assert.Equal(6, command.TargetInstances); // ceil(4 × 95 / 70)
    }

    [Theory]
    [InlineData(75, 10)] // 75/70 = 1.07: inside the 10 % tolerance
    [InlineData(64, 10)] // 64/70 = 0.91: inside
    [InlineData(78, 12)] // 78/70 = 1.114: outside, ceil(11.14)
    public void WhenTheRatioIsWithinTheToleranceThenTheProportionalRuleKeepsTheCount(double cpu, int expected)
    {
        var policy = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
        var command = policy.Evaluate(At(0, 10, cpu));
        Assert.Equal(expected, command?.TargetInstances ?? 10);
    }

    [Theory]
    [InlineData(2, 6)]   // +4 beats +100 %
    [InlineData(10, 20)] // +100 % beats +4
    public void WhenTheDesiredJumpIsLargeThenTheStepLimitAppliesWhicheverIsLarger(int current, int expected)
    {
        var options = ScalingPolicyOptions.Hpa();
        options.TargetCpuPercent = 10;
        var command = new ReactiveScalingPolicy(options).Evaluate(At(0, current, 100));
        Assert.Equal(expected, command!.TargetInstances);
    }

    [Fact]
    public void WhenTheDesiredCountIsOutsideMinAndMaxThenItIsClamped()
    {
        var options = ScalingPolicyOptions.Hpa();
        options.MinInstances = 3;
        options.MaxInstances = 12;
        var policy = new ReactiveScalingPolicy(options);
        Assert.Equal(12, policy.Evaluate(At(0, 10, 100))!.TargetInstances);
        Assert.Equal(3, new ReactiveScalingPolicy(options).Evaluate(At(0, 1, 50))!.TargetInstances);
        Assert.Equal("min_instances", new ReactiveScalingPolicy(options).Evaluate(At(0, 1, 50))!.Rule);
    }

    [Fact]
    public void WhenAScaleOutJustHappenedThenTheIncreaseCooldownHoldsTheNextOne()
    {
        var policy = new ReactiveScalingPolicy();
        Assert.NotNull(policy.Evaluate(At(0, 4, 95)));
        for (int minute = 1; minute < 5; minute++)
        {
            Assert.Null(policy.Evaluate(At(minute, 6, 95)));
        }

        var next = policy.Evaluate(At(5, 6, 95));
        Assert.NotNull(next);
        Assert.Equal(9, next.TargetInstances);
    }

    [Fact]
    public void WhenLoadDropsThenTheStabilisationWindowKeepsTheLargestRecentRecommendation()
    {
        var policy = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
        Assert.Null(policy.Evaluate(At(0, 10, 70)));  // recommends 10
        Assert.Null(policy.Evaluate(At(1, 10, 49)));  // recommends 7, but 10 is in the window
        Assert.Null(policy.Evaluate(At(2, 10, 35)));  // recommends 5
        Assert.Null(policy.Evaluate(At(5, 10, 35)));  // minute 0 is still inside the 5-minute window
        var command = policy.Evaluate(At(6, 10, 35)); // window [1, 6]: largest is 7
        Assert.NotNull(command);
        Assert.Equal(ScalingAction.ScaleIn, command.Action);
        Assert.Equal(7, command.TargetInstances);
    }

    [Fact]
    public void WhenCpuAndMemoryAreLowThenThePlaybookScalesDownOnlyWithEnoughHistoryAndSustain()
    {
        var policy = new ReactiveScalingPolicy();
        var first = -1;
        ScalingCommand? command = null;
        for (int minute = 0; minute <= 40 && command is null; minute++)
        {
            command = policy.Evaluate(At(minute, 10, 14, memory: 40));
            first = minute;
        }

        Assert.NotNull(command);
        Assert.Equal(35, first); // 30 minutes of history, then 5 minutes of low recommendations (stabilisation)
        Assert.Equal("cpu_memory_low", command.Rule);
        Assert.Equal(5, command.TargetInstances); // ceil(10 × 14 / 70) = 2, but at most −50 % per step
        Assert.True(command.EstimatedMonthlyCostDelta < 0);
    }

    [Fact]
    public void WhenMemoryIsHighThenThePlaybookDoesNotScaleDown()
    {
        var policy = new ReactiveScalingPolicy();
        for (int minute = 0; minute <= 60; minute++)
        {
            Assert.Null(policy.Evaluate(At(minute, 10, 14, memory: 60)));
        }
    }

    [Fact]
    public void WhenAScaleOutHappenedThenTheDecreaseCooldownHoldsScaleDowns()
    {
        var options = ScalingPolicyOptions.Hpa();
        options.DecreaseCooldown = TimeSpan.FromMinutes(10);
        options.StabilizationWindow = TimeSpan.Zero;
        var policy = new ReactiveScalingPolicy(options);
        Assert.NotNull(policy.Evaluate(At(0, 4, 95)));
        for (int minute = 1; minute < 10; minute++)
        {
            Assert.Null(policy.Evaluate(At(minute, 6, 20)));
        }

        Assert.Equal(ScalingAction.ScaleIn, policy.Evaluate(At(10, 6, 20))!.Action);
    }

    [Fact]
    public void WhenTheRequestRateTriplesItsBaselineThenEmergencyScaleOutBypassesTheIncreaseCooldown()
    {
        var policy = new ReactiveScalingPolicy();
        for (int minute = 0; minute < 20; minute++)
        {
            Assert.Null(policy.Evaluate(At(minute, 10, 60, rate: 100)));
        }

        Assert.Equal(ScalingTrigger.Reactive, policy.Evaluate(At(20, 10, 95, rate: 100))!.Trigger);
        var emergency = policy.Evaluate(At(21, 14, 95, rate: 500));
        Assert.NotNull(emergency);
        Assert.Equal(ScalingTrigger.Emergency, emergency.Trigger);
        Assert.Equal("traffic_spike", emergency.Rule);
        Assert.Equal(42, emergency.TargetInstances); // ratio 5 capped at +200 % → 14 × 3
    }

    [Fact]
    public void WhenAnAnomalyAlertIsOpenWithoutABaselineThenEmergencyDoublesTheCount()
    {
        var policy = new ReactiveScalingPolicy();
        var command = policy.Evaluate(At(0, 5, 50) with { RequestRateAnomaly = true });
        Assert.Equal(ScalingTrigger.Emergency, command!.Trigger);
        Assert.Equal(10, command.TargetInstances);
    }

    [Fact]
    public void WhenTheSameInputIsReplayedThenTheCommandIdsRepeat()
    {
        static List<string> Run()
        {
            var policy = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
            var ids = new List<string>();
            int instances = 5;
            for (int minute = 0; minute < 120; minute++)
            {
                double cpu = 40 + (50 * Math.Sin(minute / 10.0));
                if (policy.Evaluate(At(minute, instances, Math.Max(5, cpu))) is { } c)
                {
                    ids.Add(c.Id);
                    instances = c.TargetInstances;
                }
            }

            return ids;
        }

        var first = Run();
        Assert.True(first.Count > 3);
        Assert.Equal(first, Run());
        Assert.Equal(first.Count, first.Distinct().Count());
    }

    [Fact]
    public void WhenAnyPartOfTheKeyDiffersThenTheIdDiffers()
    {
        string id = ScalingCommandId.Compute("api", ScalingTrigger.Reactive, "cpu", T0, 5);
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, ScalingCommandId.Compute("api", ScalingTrigger.Reactive, "cpu", T0.ToOffset(TimeSpan.FromHours(2)), 5));
        Assert.NotEqual(id, ScalingCommandId.Compute("api", ScalingTrigger.Reactive, "cpu", T0, 6));
        Assert.NotEqual(id, ScalingCommandId.Compute("api", ScalingTrigger.Emergency, "cpu", T0, 5));
        Assert.NotEqual(id, ScalingCommandId.Compute("api", ScalingTrigger.Reactive, "cpu", T0.AddSeconds(1), 5));
        Assert.NotEqual(id, ScalingCommandId.Compute("ap", ScalingTrigger.Reactive, "icpu", T0, 5));
    }
}
