using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScalingCommandApplierRedeliveryTests
{
    /// <summary>A target whose first <c>SetInstanceCount</c> fails, as a Kubernetes API call can (a 409, a timeout).</summary>
    private sealed class FailingOnceTarget : IScalingTarget
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal) { ["api"] = 3 };
        private bool _failed;

        public int GetInstanceCount(string service) => _counts[service];

        public void SetInstanceCount(string service, int count)
        {
            if (!_failed)
            {
                _failed = true;
                throw new InvalidOperationException("the API server refused the scale request");
            }

            _counts[service] = count;
        }
    }

    [Fact]
    public void WhenTheTargetFailsThenTheRedeliveredCommandIsAppliedNotDroppedAsADuplicate()
    {
        var target = new FailingOnceTarget();
        var applier = new ScalingCommandApplier(target, new FakeTimeProvider(T0));
        var command = new ReactiveScalingPolicy().Evaluate(At(0, 3, 95))!;
        Assert.Throws<InvalidOperationException>(() => applier.Apply(command));
        Assert.Equal(3, target.GetInstanceCount("api"));
        Assert.Equal(ApplyOutcome.Applied, applier.Apply(command));
        Assert.Equal(command.TargetInstances, target.GetInstanceCount("api"));
        Assert.Equal(ApplyOutcome.Duplicate, applier.Apply(command));
    }

    [Fact]
    public void WhenOnlyTheLastIdsAreRememberedThenAnOlderReplayIsNoLongerADuplicate()
    {
        var target = new FailingOnceTarget();
        var applier = new ScalingCommandApplier(target, new FakeTimeProvider(T0), rememberedIds: 2);
        var advisory = new ReactiveScalingPolicy().Evaluate(At(0, 3, 95))! with { Advisory = true };
        Assert.Equal(ApplyOutcome.Advisory, applier.Apply(advisory with { Id = "a" }));
        Assert.Equal(ApplyOutcome.Advisory, applier.Apply(advisory with { Id = "b" }));
        Assert.Equal(ApplyOutcome.Duplicate, applier.Apply(advisory with { Id = "a" }));
        Assert.Equal(ApplyOutcome.Advisory, applier.Apply(advisory with { Id = "c" }));
        Assert.Equal(ApplyOutcome.Advisory, applier.Apply(advisory with { Id = "a" })); // "a" fell out of the two remembered
    }

    [Fact]
    public void WhenAMessageDeclaresAnotherSchemaVersionThenTheV1ConsumerDoesNotApplyIt()
    {
        var target = new FailingOnceTarget();
        var applier = new ScalingCommandApplier(target, new FakeTimeProvider(T0));
        var json = ScalingCommandJson.ToJson(new ReactiveScalingPolicy().Evaluate(At(0, 3, 95))!)
            .Replace("\"scaling-command/v1\"", "\"scaling-command/v2\"", StringComparison.Ordinal);
        var parsed = ScalingCommandJson.Parse(json)!;
        Assert.Equal(ApplyOutcome.UnsupportedSchema, applier.Apply(parsed));
        Assert.Equal(3, target.GetInstanceCount("api"));
    }
}
