using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>In <see cref="PredictiveScalingMode.ScaleOutOnly"/> the predictive policy only scales out; scaling in is the reactive policy's.</summary>
public sealed class PredictiveScaleOutOnlyTests
{
    [Fact]
    public void WhenTheFleetIsAboveMaxInstancesThenAScaleOutOnlyPolicyDoesNotScaleIn()
    {
        // 30 instances, max 20, little load. Before: a scale-in to 20 from the mode that never scales in.
        var policy = new PredictiveScalingPolicy(new PredictiveScalingOptions { Mode = PredictiveScalingMode.ScaleOutOnly, CapacityPerInstance = 10, MaxInstances = 20 },
            _ => new SsaLoadForecaster());
        for (int minute = 0; minute < 30; minute++)
        {
            var command = policy.Evaluate(Snapshots.At(minute, 30, 20, rate: 50));
            Assert.True(command is null || command.TargetInstances >= 30, $"minute {minute}: {command?.Action} to {command?.TargetInstances}");
        }
    }

    [Fact]
    public void WhenTheFleetIsAboveMaxInstancesThenAForecastAndScalePolicyBringsItToTheMax()
    {
        var policy = new PredictiveScalingPolicy(new PredictiveScalingOptions { Mode = PredictiveScalingMode.ForecastAndScale, CapacityPerInstance = 10, MaxInstances = 20 },
            _ => new SsaLoadForecaster());
        var command = policy.Evaluate(Snapshots.At(0, 30, 20, rate: 50));
        Assert.Equal(20, command?.TargetInstances);
    }
}
