using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class PredictiveScalingPolicyTests
{
    // Capacity 10 per instance at target 0.8: 8 per instance is on target.
    private static PredictiveScalingPolicy Policy() =>
        new(new PredictiveScalingOptions { CapacityPerInstance = 10 }, _ => new WarmingUp());

    [Fact]
    public void WhenDemandIsWithinTheScaleOutToleranceThenNoCommandIsIssued()
    {
        var policy = Policy();
        Assert.Null(policy.Evaluate(Snapshots.At(0, 10, 50, rate: 82)));
        var command = policy.Evaluate(Snapshots.At(1, 10, 50, rate: 90));
        Assert.NotNull(command);
        Assert.Equal(12, command.TargetInstances);
    }

    [Fact]
    public void WhenLoadReturnsSoonAfterAScaleInThenOnlyASurgePastFullLoadReversesIt()
    {
        var policy = Policy();
        var scaleIn = policy.Evaluate(Snapshots.At(0, 20, 30, rate: 80));
        Assert.NotNull(scaleIn);
        Assert.Equal(10, scaleIn.TargetInstances);

        // 95 % of full load within the cooldown after the scale-in: held, not reversed.
        Assert.Null(policy.Evaluate(Snapshots.At(2, 10, 90, rate: 95)));

        // Past full load the guard gives way.
        var surge = policy.Evaluate(Snapshots.At(3, 10, 95, rate: 105));
        Assert.NotNull(surge);
        Assert.Equal(14, surge.TargetInstances);
    }

    [Fact]
    public void WhenTheCooldownAfterAScaleInHasPassedThenTheUsualScaleOutRuleApplies()
    {
        var policy = Policy();
        Assert.Equal(10, policy.Evaluate(Snapshots.At(0, 20, 30, rate: 80))!.TargetInstances);
        Assert.Null(policy.Evaluate(Snapshots.At(4, 10, 90, rate: 95)));
        var command = policy.Evaluate(Snapshots.At(6, 10, 90, rate: 95));
        Assert.NotNull(command);
        Assert.Equal(12, command.TargetInstances);
    }

    private sealed class WarmingUp : ILoadForecaster
    {
        public void Observe(DateTimeOffset time, double value)
        {
        }

        public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead) => null;
    }
}
