using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScalingCommandApplierOrderTests
{
    private sealed class Counts : IScalingTarget
    {
        public Dictionary<string, int> Instances { get; } = new(StringComparer.Ordinal);

        public int GetInstanceCount(string service) => Instances.GetValueOrDefault(service, 4);

        public void SetInstanceCount(string service, int count) => Instances[service] = count;
    }

    private static ScalingCommand Command(int minute, int current, int target, string service = "api") =>
        ScalingCommandFactory.Create(At(minute, current, 50, service: service), target, ScalingTrigger.Reactive, "test", "test", 0.1, TimeSpan.Zero, TimeSpan.FromMinutes(2));

    [Fact]
    public void WhenAnOlderCommandArrivesAfterANewerOneForTheSameServiceThenItIsNotApplied()
    {
        // Two commands a minute apart, both still valid, delivered newest first (a second producer, a redelivery of the
        // older one): before, the older one was applied last and undid the newer decision (12 → 8).
        var target = new Counts();
        var applier = new ScalingCommandApplier(target, new FakeTimeProvider(T0.AddMinutes(1)));
        Assert.Equal(ApplyOutcome.Applied, applier.Apply(Command(1, 8, 12)));
        Assert.NotEqual(ApplyOutcome.Applied, applier.Apply(Command(0, 4, 8)));
        Assert.Equal(12, target.GetInstanceCount("api"));
        // Another service's older command is not affected, and a command of the same time still applies.
        Assert.Equal(ApplyOutcome.Applied, applier.Apply(Command(0, 4, 6, "web")));
        Assert.Equal(ApplyOutcome.Applied, applier.Apply(Command(1, 12, 14)));
        Assert.Equal(14, target.GetInstanceCount("api"));
    }
}
