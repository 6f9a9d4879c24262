using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// The trailing baseline lags a spike and rises with it, so mid-spike the rate can dip under 3× of it and come back
/// over. That is the same spike: it is not sized again from the instances already added for it. Before, the simulated
/// fleet's 4× spike went 15 → 45 at its start and 57 → 171 nine minutes later, at 79 % utilisation.
/// </summary>
public sealed class EmergencySpikeRetriggerTests
{
    [Fact]
    public void WhenTheLaggingBaselineDipsUnderTheSpikeRatioMidSpikeThenTheSpikeIsNotSizedAgainFromTheInstancesAddedForIt()
    {
        var policy = new ReactiveScalingPolicy();
        for (int minute = 0; minute < 15; minute++)
        {
            Assert.Null(policy.Evaluate(At(minute, 10, 50, rate: 100)));
        }

        // Minute 15: 4× the baseline, 10 → 30. Minutes 17–19: the baseline has risen to 135–163/s, so 400/s is under 3×
        // of it. Minute 20: 560/s is 3.2× the baseline 175/s again, but only 5.6× the spike's starting baseline.
        double[] rates = [400, 400, 400, 400, 400, 560, 560];
        var emergencies = new List<int>();
        int instances = 10;
        for (int i = 0; i < rates.Length; i++)
        {
            if (policy.Evaluate(At(15 + i, instances, 50, rate: rates[i])) is { } command)
            {
                Assert.Equal(ScalingTrigger.Emergency, command.Trigger);
                emergencies.Add(command.TargetInstances);
                instances = command.TargetInstances;
            }
        }

        // Before: [30, 90] (30 × 3 from the instances the spike had already been given).
        Assert.Equal([30], emergencies);
    }

    [Fact]
    public void WhenTheRateFallsBackUnderTheSpikeRatioOfItsStartingBaselineThenTheNextSpikeIsANewOne()
    {
        var policy = new ReactiveScalingPolicy();
        for (int minute = 0; minute < 15; minute++)
        {
            policy.Evaluate(At(minute, 10, 50, rate: 100));
        }

        Assert.Equal(30, policy.Evaluate(At(15, 10, 50, rate: 400))!.TargetInstances);
        // Back to normal for 45 minutes (the spike is over: 100/s is 1× its starting baseline), then a new 4× spike is
        // sized from the instances then.
        for (int minute = 16; minute < 61; minute++)
        {
            policy.Evaluate(At(minute, 30, 50, rate: 100));
        }

        var next = policy.Evaluate(At(61, 30, 50, rate: 500));
        Assert.Equal(ScalingTrigger.Emergency, next!.Trigger);
        Assert.Equal(90, next.TargetInstances);
    }
}
