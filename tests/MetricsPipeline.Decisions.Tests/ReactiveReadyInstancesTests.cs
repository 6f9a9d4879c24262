using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// CPU is measured over the ready instances, while the count the policy scales from includes instances still starting.
/// The proportional rule reasons as Kubernetes' HPA does: on a scale-up the starting instances count at 0 % usage, on a
/// scale-down at the target, and a recommendation that would reverse the direction is dropped. Before, desired =
/// ceil(provisioned × cpu / target) multiplied the ready instances' load by instances that served nothing yet, and the
/// HPA preset (no increase cooldown) compounded it every minute of the start-up: 834 instances on TravelTime_387, where
/// static peak provisioning needs 224.
/// </summary>
public sealed class ReactiveReadyInstancesTests
{
    private static ServiceSnapshot Starting(int instances, int ready, double cpu) => At(0, instances, cpu) with { ReadyInstances = ready };

    [Fact]
    public void WhenHalfTheInstancesAreStartingThenTheHpaRuleCountsThemAtZeroAndHolds()
    {
        // 10 ready at twice the target, 10 more starting: with the starting ones at 0 % the ratio is 1.0. Before: 40.
        Assert.Null(new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa()).Evaluate(Starting(20, 10, 140)));
    }

    [Fact]
    public void WhenSomeInstancesAreStartingThenTheHpaRuleSizesForTheReadyInstancesLoad()
    {
        // 10 ready at twice the target need 20; 2 are starting. Before: ceil(12 × 2) = 24.
        var command = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa()).Evaluate(Starting(12, 10, 140));
        Assert.Equal(20, command!.TargetInstances);
    }

    [Fact]
    public void WhenCountingTheStartingInstancesReversesAScaleUpThenNoCommandIsIssued()
    {
        // The ready ones are over the target, but with 15 starting at 0 % the whole fleet is under it: no scale-in either.
        Assert.Null(new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa()).Evaluate(Starting(20, 5, 140)));
    }

    [Fact]
    public void WhenInstancesAreStartingOnAScaleDownThenTheyCountAtTheTarget()
    {
        // 8 ready at 0.3 of the target, 2 unmeasured: (0.3 × 8 + 2) / 10 = 0.44 of the target, so 5. Before: 3.
        var command = new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa()).Evaluate(Starting(10, 8, 21));
        Assert.Equal(5, command!.TargetInstances);
    }

    [Fact]
    public void WhenInstancesAreStartingThenThePlaybooksCriticalCpuRuleDoesNotAddToThem()
    {
        // cpu 95 % > 90 % (critical) on the 10 ready; the 10 starting take the fleet to 0.68 of the target. Before: 28.
        Assert.Null(new ReactiveScalingPolicy().Evaluate(Starting(20, 10, 95)));
    }

    [Fact]
    public void WhenTheReadyCountIsNotGivenThenAllInstancesAreReady()
    {
        var snapshot = At(0, 10, 140);
        Assert.Equal(10, snapshot.ReadyInstances);
        Assert.Equal(20, new ReactiveScalingPolicy(ScalingPolicyOptions.Hpa()).Evaluate(snapshot)!.TargetInstances);
    }

    [Fact]
    public void WhenTheLoadStepsUpTenfoldThenTheSimulatedHpaDoesNotOvershootWhileInstancesStart()
    {
        // One hour at 100/s, then two at 1000/s; 10/s per instance. The HPA's steady state at 1000/s is 122 to 150
        // instances (cpu 3 + 90ρ within 10 % of 70 %). Before, each minute of the 3-minute start-up multiplied the
        // provisioned count by the saturated ready instances' 100 / 70.
        var trace = new LoadTrace("step", Enumerable.Range(0, 180).Select(i => (Traces.Start.AddMinutes(i), i < 60 ? 100.0 : 1000.0)));
        var summary = new ClosedLoopSimulator(new SimulationOptions { CapacityPerInstance = 10 })
            .Run(trace, SimulationPolicy.Parse("hpa"));
        Assert.InRange(summary.PeakInstances, 122, 150);
    }
}
