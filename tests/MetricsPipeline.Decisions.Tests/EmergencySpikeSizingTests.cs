using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>Emergency scale-out is sized once per spike, from the instances and baseline at its start.</summary>
public sealed class EmergencySpikeSizingTests
{
    /// <summary>An hour of quiet minutes at 100/s on 10 instances, then a 4× spike held for <paramref name="spikeMinutes"/>; returns the emergency targets.</summary>
    private static List<int> Spike(ReactiveScalingPolicy policy, int spikeMinutes, int start = 0)
    {
        for (int minute = start; minute < start + 60; minute++)
        {
            policy.Evaluate(At(minute, 10, 50, rate: 100));
        }

        var targets = new List<int>();
        int instances = 10;
        for (int minute = start + 60; minute < start + 60 + spikeMinutes; minute++)
        {
            // The consumer applies every command at once, as the simulator's fleet does (start-up delay aside).
            if (policy.Evaluate(At(minute, instances, 50, rate: 400)) is { } c)
            {
                if (c.Trigger == ScalingTrigger.Emergency)
                {
                    targets.Add(c.TargetInstances);
                }

                instances = c.TargetInstances;
            }
        }

        return targets;
    }

    [Fact]
    public void WhenASpikeHoldsPastTheIncreaseCooldownThenEmergencyDoesNotCompound()
    {
        // The trailing 1-hour baseline still says ~4× after the cooldown; sizing from the count the first step set made 30 → 90 → 270.
        Assert.Equal([30], Spike(new ReactiveScalingPolicy(), spikeMinutes: 30));
    }

    [Fact]
    public void WhenThePolicyHasNoIncreaseCooldownThenOneSpikeStillScalesOutOnce()
    {
        // HPA defaults have no increase cooldown: before the fix every minute tripled the count until the maximum.
        var targets = Spike(new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa()), spikeMinutes: 10);
        Assert.Equal([30], targets);
    }

    [Theory]
    [InlineData(300, false)]
    [InlineData(301, true)]
    public void WhenTheRateIsExactlyThreeTimesTheBaselineThenItIsNotASpike(double rate, bool spike)
    {
        // The rule is "> 3× its baseline".
        var policy = new ReactiveScalingPolicy();
        for (int minute = 0; minute < 20; minute++)
        {
            policy.Evaluate(At(minute, 10, 50, rate: 100));
        }

        Assert.Equal(spike, policy.Evaluate(At(20, 10, 50, rate: rate))?.Trigger == ScalingTrigger.Emergency);
    }

    [Fact]
    public void WhenASpikeEndsThenTheNextOneIsSizedFromItsOwnStart()
    {
        var policy = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
        Assert.Equal([30], Spike(policy, spikeMinutes: 3));
        // Back to 100/s for long enough that the baseline forgets the spike: the next spike is a new one.
        Assert.Equal([30], Spike(policy, spikeMinutes: 3, start: 63));
    }

    [Fact]
    public void WhenTheStateIsRestoredMidSpikeThenTheSpikeIsNotSizedAgain()
    {
        var policy = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
        Assert.Equal([30], Spike(policy, spikeMinutes: 2));
        var restored = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
        restored.RestoreState(policy.SaveState());
        // Still 4× the trailing baseline, now on 30 instances: a fresh spike would size 30 × 3.
        Assert.NotEqual(ScalingTrigger.Emergency, restored.Evaluate(At(62, 30, 50, rate: 400))?.Trigger);
    }
}
