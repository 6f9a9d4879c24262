using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// A predictive config's <c>scale_in_headroom</c> is checked against the target the run will use: the config's own
/// <c>target_utilization</c>, or, without one, the simulation's SLO-derived target (≈ 0.8464 with the defaults).
/// </summary>
public sealed class SimulationPolicyHeadroomTests
{
    private static T WithConfig<T>(string json, Func<string, T> use)
    {
        string path = Path.Combine(Path.GetTempPath(), $"headroom-{Guid.NewGuid():N}.json");
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

    [Fact]
    public void WhenTheHeadroomIsBetweenTheOptionsTargetAndTheSloDerivedOneThenTheConfigRuns()
    {
        // Before: refused at parse time against the options' 0.80, though the run provisions at 0.8464.
        var policy = WithConfig("""{"policy": "predictive", "predictive": {"scale_in_headroom": 0.82}}""", SimulationPolicy.Parse);
        var created = (PredictiveScalingPolicy)new ClosedLoopSimulator().CreatePolicy(policy, 10);
        Assert.Equal(0.8464, created.Options.TargetUtilization);
        Assert.Equal(0.82, created.Options.ScaleInHeadroom);
    }

    [Fact]
    public void WhenTheHeadroomReachesTheSloDerivedTargetThenTheRunFailsNamingTheFileTheKeyAndTheTarget()
    {
        // Before: the predictive options' own message at run start, without the config file or the derived target.
        WithConfig("""{"policy": "predictive", "predictive": {"scale_in_headroom": 0.9}}""", path =>
        {
            var policy = SimulationPolicy.Parse(path);
            var e = Assert.Throws<ArgumentException>(() => new ClosedLoopSimulator().CreatePolicy(policy, 10));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("\"predictive\"", e.Message, StringComparison.Ordinal);
            Assert.Contains("scale_in_headroom", e.Message, StringComparison.Ordinal);
            Assert.Contains("0.8464", e.Message, StringComparison.Ordinal);
            return 0;
        });
    }

    [Fact]
    public void WhenTheHeadroomIsAtLeastOneThenParsingFailsNamingTheFile()
    {
        // No SLO-derived target reaches 1, so this is refused before the run.
        WithConfig("""{"policy": "predictive", "predictive": {"scale_in_headroom": 1}}""", path =>
        {
            var e = Assert.Throws<ArgumentException>(() => SimulationPolicy.Parse(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("\"predictive\"", e.Message, StringComparison.Ordinal);
            return 0;
        });
    }

    [Fact]
    public void WhenTheConfigSetsItsOwnTargetThenTheHeadroomIsCheckedAgainstItAtParseTime()
    {
        WithConfig("""{"policy": "predictive", "predictive": {"target_utilization": 0.7, "scale_in_headroom": 0.75}}""", path =>
        {
            var e = Assert.Throws<ArgumentException>(() => SimulationPolicy.Parse(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            return 0;
        });
    }
}
