using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>A JSON policy config runs what it says, or fails naming the file, the section and the key.</summary>
public sealed class SimulationPolicyConfigTests
{
    private static T WithConfig<T>(string json, Func<string, T> use)
    {
        string path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return use(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ArgumentException ParseFails(string json) =>
        WithConfig(json, path => Assert.Throws<ArgumentException>(() => SimulationPolicy.Parse(path)));

    [Fact]
    public void WhenAPredictiveConfigDoesNotSetTheTargetUtilizationThenItGetsTheSloDerivedOneOfTheNamedPolicy()
    {
        // The named predictive policy provisions at the highest utilisation the SLO allows (0.8464 with the defaults). Before,
        // a config that only changed e.g. the error quantile started from the options' 0.80 instead: 6 % more instances.
        var simulator = new ClosedLoopSimulator();
        var named = (PredictiveScalingPolicy)simulator.CreatePolicy(SimulationPolicy.Parse("predictive"), 10);
        var config = WithConfig("""{"policy": "predictive", "predictive": {"error_quantile": 0.9}}""", SimulationPolicy.Parse);
        var configured = (PredictiveScalingPolicy)simulator.CreatePolicy(config, 10);
        Assert.Equal(0.8464, named.Options.TargetUtilization);
        Assert.Equal(named.Options.TargetUtilization, configured.Options.TargetUtilization);
        Assert.Equal(0.9, configured.Options.ErrorQuantile);
    }

    [Fact]
    public void WhenAPredictiveConfigSetsTheTargetUtilizationThenThatOneIsUsed()
    {
        var config = WithConfig("""{"policy": "predictive", "predictive": {"target_utilization": 0.8}}""", SimulationPolicy.Parse);
        var configured = (PredictiveScalingPolicy)new ClosedLoopSimulator().CreatePolicy(config, 10);
        Assert.Equal(0.8, configured.Options.TargetUtilization);
    }

    [Fact]
    public void WhenAnHpaConfigOverridesOneSettingThenTheRestIsStillTheHpaPreset()
    {
        // Before: any "reactive" section replaced the HPA preset by the playbook defaults, so {"policy": "hpa",
        // "reactive": {"tolerance": 0.1}} ran the playbook rules with cooldowns: the same figures as "reactive".
        var policy = WithConfig("""{"policy": "hpa", "reactive": {"tolerance": 0.2}}""", SimulationPolicy.Parse);
        var hpa = ScalingPolicyOptions.Hpa();
        Assert.Equal(SimulationPolicyKind.Hpa, policy.Kind);
        Assert.Equal(0.2, policy.Reactive!.Tolerance);
        Assert.Equal(hpa.RuleSet, policy.Reactive.RuleSet);
        Assert.Equal(hpa.IncreaseCooldown, policy.Reactive.IncreaseCooldown);
        Assert.Equal(hpa.DecreaseCooldown, policy.Reactive.DecreaseCooldown);
        Assert.Equal(hpa.MinHistoryForScaleDown, policy.Reactive.MinHistoryForScaleDown);
        Assert.Equal(hpa.MaxDecreasePercent, policy.Reactive.MaxDecreasePercent);
    }

    [Theory]
    [InlineData("reactive", "min_instances", "3", "--min-instances")]
    [InlineData("reactive", "max_instances", "3", "--max-instances")]
    [InlineData("reactive", "price_per_instance_hour", "1.5", "--price")]
    [InlineData("predictive", "capacity_per_instance", "50", "--capacity-per-instance")]
    [InlineData("predictive", "startup_delay", "\"00:10:00\"", "--startup-delay")]
    [InlineData("predictive", "min_instances", "3", "--min-instances")]
    public void WhenAConfigSetsWhatTheSimulationSetsThenParsingFailsNamingTheOption(string section, string key, string value, string option)
    {
        // Before: the key was read and then overwritten by the simulation's own value, so the run ignored it silently.
        var e = ParseFails($$$"""{"policy": "{{{section}}}", "{{{section}}}": {"{{{key}}}": {{{value}}}}}""");
        Assert.Contains($"\"{section}\"", e.Message, StringComparison.Ordinal);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"policy": "reactive", "reactive": {"target_cpu_percent": -5}}""", "\"reactive\"")]
    [InlineData("""{"policy": "reactive", "reactive": {"increase_cooldown": "-00:05:00"}}""", "\"reactive\"")]
    [InlineData("""{"policy": "predictive", "predictive": {"target_utilization": 1.5}}""", "\"predictive\"")]
    public void WhenAConfigSettingIsOutOfRangeThenParsingFailsNamingTheFileAndTheSection(string json, string section)
    {
        // Before: the error came from the policy's constructor inside the run, without the file or the section.
        var e = ParseFails(json);
        Assert.Contains(".json", e.Message, StringComparison.Ordinal);
        Assert.Contains(section, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void WhenThePolicyIsEmptyThenTheMessageSaysWhatToGive(string policy)
    {
        // Before: "The value cannot be an empty string or composed entirely of whitespace." (simulate --policy "").
        var e = Assert.Throws<ArgumentException>(() => SimulationPolicy.Parse(policy));
        Assert.Contains("use static, reactive, hpa, predictive or the path of a JSON config file", e.Message, StringComparison.Ordinal);
    }
}
