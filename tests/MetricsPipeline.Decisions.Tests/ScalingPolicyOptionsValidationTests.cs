using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScalingPolicyOptionsValidationTests
{
    public static TheoryData<string, Action<ScalingPolicyOptions>> Invalid() => new()
    {
        { "CpuCriticalPercent", o => o.CpuCriticalPercent = double.NaN },
        { "LatencyP95Ms", o => o.LatencyP95Ms = -1 },
        { "Tolerance", o => o.Tolerance = double.NaN },
        { "QueueDepth", o => o.QueueDepth = double.PositiveInfinity },
        { "IncreaseCooldown", o => o.IncreaseCooldown = TimeSpan.FromMinutes(-5) },
        { "StabilizationWindow", o => o.StabilizationWindow = TimeSpan.FromSeconds(-1) },
        { "MaxIncreaseInstances", o => o.MaxIncreaseInstances = -4 },
        { "PricePerInstanceHour", o => o.PricePerInstanceHour = -0.1 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void WhenASettingIsNaNOrNegativeThenThePolicyRefusesItNamingTheSetting(string name, Action<ScalingPolicyOptions> spoil)
    {
        var options = new ScalingPolicyOptions();
        spoil(options);
        var ex = Assert.Throws<ArgumentException>(() => new ReactiveScalingPolicy(options));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheDefaultsAndTheHpaPresetAreValidatedThenTheyPass()
    {
        new ScalingPolicyOptions().Validate();
        ScalingPolicyOptions.Hpa().Validate();
    }
}
