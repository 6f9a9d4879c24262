using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// <see cref="ServiceSnapshotBuilder"/> can say how many of the provisioned instances are ready (reported the window), as
/// the stream's snapshots do, so the ready-aware reactive rule sees the starting ones.
/// </summary>
public sealed class ServiceSnapshotBuilderReadyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WhenTheReadyCountIsGivenThenTheSnapshotCarriesItAndTotalsAreOverTheReadyInstances()
    {
        var builder = new ServiceSnapshotBuilder();
        builder.Add("service", "cpu_percent", "mean", 90);
        builder.Add("service", "request_rate", "mean", 40);
        var snapshot = builder.Build("api", T0, instances: 5, readyInstances: 3);
        Assert.Equal(5, snapshot.Instances);
        Assert.Equal(3, snapshot.ReadyInstances);
        // The per-instance mean is over the 3 instances that reported: the total is 3 × 40, not 5 × 40.
        Assert.Equal(120, snapshot.RequestRate);
    }

    [Fact]
    public void WhenTheReadyCountIsNotGivenThenAllInstancesAreReady()
    {
        var builder = new ServiceSnapshotBuilder();
        builder.Add("service", "request_rate", "mean", 40);
        var snapshot = builder.Build("api", T0, instances: 5);
        Assert.Equal(5, snapshot.ReadyInstances);
        Assert.Equal(200, snapshot.RequestRate);
    }

    [Fact]
    public void WhenTheReadyCountIsNegativeThenBuildFailsNamingIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceSnapshotBuilder().Build("api", T0, 5, -1));
        Assert.Equal("readyInstances", e.ParamName);
    }

    [Fact]
    public void WhenTheReadyInstancesNeedMoreThenTheReactivePolicySizesFromThem()
    {
        // 3 of 5 ready at 90 % CPU: the HPA-style rule counts the 2 starting at 0 % on a scale-up, so the 5 cover it
        // (mean 54 % over 5); with all 5 "ready" at 90 % it would ask for more.
        var builder = new ServiceSnapshotBuilder();
        builder.Add("service", "cpu_percent", "mean", 90);
        var ready = builder.Build("api", T0, instances: 5, readyInstances: 3);
        var all = builder.Build("api", T0, instances: 5);
        var hpa = ScalingPolicyOptions.Hpa();
        Assert.Null(new ReactiveScalingPolicy(hpa).Evaluate(ready));
        Assert.NotNull(new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa()).Evaluate(all));
    }
}
