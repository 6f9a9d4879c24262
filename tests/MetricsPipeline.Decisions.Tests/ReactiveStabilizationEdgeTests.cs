using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ReactiveStabilizationEdgeTests
{
    [Fact]
    public void WhenTheFleetWasScaledInElsewhereThenAQuietMinuteNeverTurnsIntoAScaleOut()
    {
        // The count falls from 10 to 4 by another hand (a predictive scale-in in a composite, an operator, a restart);
        // the window still remembers the "hold at 10" of the minutes before. A scale-down recommendation stabilised by
        // that window may hold the count, but must never raise it (Kubernetes bounds it by the current count too).
        var policy = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
        Assert.Null(policy.Evaluate(At(0, 10, 70)));
        Assert.Null(policy.Evaluate(At(1, 10, 70)));
        var command = policy.Evaluate(At(2, 4, 20));
        Assert.True(command is null || command.TargetInstances <= 4, $"a low-cpu minute scaled {command?.CurrentInstances} → {command?.TargetInstances} ({command?.Rule}: {command?.Reason})");
    }

    [Fact]
    public void WhenThePlaybookScaleDownIsStabilisedAboveTheCurrentCountThenNoCommandIsIssued()
    {
        var options = new ScalingPolicyOptions { MinHistoryForScaleDown = TimeSpan.Zero, ScaleDownSustainDuration = TimeSpan.Zero };
        var policy = new ReactiveScalingPolicy(options);
        Assert.Null(policy.Evaluate(At(0, 12, 50)));
        var command = policy.Evaluate(At(1, 5, 10));
        Assert.True(command is null || command.TargetInstances <= 5, $"a low-cpu minute scaled {command?.CurrentInstances} → {command?.TargetInstances} ({command?.Rule}: {command?.Reason})");
    }

    [Theory]
    [InlineData(77)] // 77 / 70 = 1.1: exactly at the 10 % edge, which the tolerance includes
    [InlineData(63)] // 63 / 70 = 0.9: the lower edge
    public void WhenTheRatioIsExactlyAtTheToleranceEdgeThenTheCountIsKept(double cpu)
    {
        var policy = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa());
        var command = policy.Evaluate(At(0, 10, cpu));
        Assert.Null(command);
    }
}
