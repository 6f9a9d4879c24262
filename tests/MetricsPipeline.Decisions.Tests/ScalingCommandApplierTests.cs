using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Fleet;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScalingCommandApplierTests
{
    private sealed class FleetTarget(FleetSimulator fleet) : IScalingTarget
    {
        public int GetInstanceCount(string service) => fleet.GetInstanceCount(service);

        public void SetInstanceCount(string service, int count) => fleet.SetInstanceCount(service, count);
    }

    [Fact]
    public void WhenACommandIsAppliedThenTheSimulatedFleetScalesAndAReplayIsIgnored()
    {
        var fleet = new FleetSimulator(new FleetOptions());
        var time = new FakeTimeProvider(T0);
        var applier = new ScalingCommandApplier(new FleetTarget(fleet), time);
        var command = new ReactiveScalingPolicy().Evaluate(At(0, fleet.GetInstanceCount("api"), 95))!;
        Assert.Equal(ApplyOutcome.Applied, applier.Apply(command));
        Assert.Equal(command.TargetInstances, fleet.GetInstanceCount("api"));
        Assert.Equal(ApplyOutcome.Duplicate, applier.Apply(command));
        Assert.Equal(ApplyOutcome.Duplicate, applier.Apply(command with { TargetInstances = 50 }));
        Assert.Equal(command.TargetInstances, fleet.GetInstanceCount("api"));
    }

    [Fact]
    public void WhenACommandIsLateOrAdvisoryThenItIsNotApplied()
    {
        var fleet = new FleetSimulator(new FleetOptions());
        var time = new FakeTimeProvider(T0);
        var applier = new ScalingCommandApplier(new FleetTarget(fleet), time);
        var command = new ReactiveScalingPolicy().Evaluate(At(0, 3, 95))!;
        time.Advance(TimeSpan.FromMinutes(3)); // expires two evaluation intervals after issue
        Assert.Equal(ApplyOutcome.Expired, applier.Apply(command));
        Assert.Equal(ApplyOutcome.Advisory, applier.Apply(command with { Id = "a", Advisory = true }));
        Assert.Equal(3, fleet.GetInstanceCount("api"));
    }
}
