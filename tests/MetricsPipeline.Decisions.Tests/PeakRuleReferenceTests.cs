using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// The hindsight-tuned peak rule in the summary, checked against a plain re-computation: the rule it names costs and
/// violates what it says, a 0.001 smaller factor would violate more than the run, and no window is cheaper.
/// </summary>
public sealed class PeakRuleReferenceTests
{
    private static readonly ClosedLoopSimulator Simulator = new();

    [Fact]
    public void WhenTheLoadIsFlatThenThePeakRuleCostsWhatTheOracleCostsWithoutViolations()
    {
        var summary = Simulator.Run(Traces.Flat(1000, 600), SimulationPolicy.Parse("hpa"));
        Assert.Equal(summary.OracleCost, summary.PeakRuleCost);
        Assert.Equal(0, summary.PeakRuleSloViolationMinutes);
        Assert.True(summary.PeakRuleFactor <= 1, $"factor {summary.PeakRuleFactor}");
    }

    [Fact]
    public void WhenALoadStepsAndFallsThenTheRuleTheSummaryNamesIsTheCheapestThatKeepsWithinTheRunsViolations()
    {
        // Hourly square wave 600 / 1800 per s: every rise comes unannounced, so a rule that sees the past only pays for
        // its violations with a larger factor.
        var trace = new LoadTrace("square", Enumerable.Range(0, 24 * 60).Select(i =>
            (Traces.Start.AddMinutes(i), (i / 60) % 2 == 0 ? 600.0 : 1800.0)));
        var summary = Simulator.Run(trace, SimulationPolicy.Parse("reactive"));
        Assert.NotNull(summary.PeakRuleCost);
        int window = (int)summary.PeakRuleWindowMinutes!.Value;
        double factor = summary.PeakRuleFactor!.Value;
        int allowed = summary.SloViolationMinutes;

        var (cost, violations) = Rule(trace, window, factor, summary);
        Assert.Equal(summary.PeakRuleCost!.Value, cost, 3);
        Assert.Equal(summary.PeakRuleSloViolationMinutes, violations);
        Assert.True(violations <= allowed, $"{violations} > {allowed}");
        Assert.True(Rule(trace, window, factor - 0.001, summary).Violations > allowed, "a smaller factor would also keep within the run's violations");
        Assert.True(summary.PeakRuleCost >= summary.OracleCost);
        foreach (int other in new[] { 5, 10, 15, 30, 60, 120, 240 })
        {
            // Each other window at its own smallest fitting factor is no cheaper.
            double f = 0.5;
            while (f <= 5 && Rule(trace, other, f, summary).Violations > allowed)
            {
                f = Math.Round(f + 0.001, 3);
            }

            if (f <= 5)
            {
                Assert.True(Rule(trace, other, f, summary).Cost >= cost - 1e-9, $"window {other} at {f} is cheaper than {window} at {factor}");
            }
        }
    }

    // The rule computed plainly: each minute the largest load of the window ending a start-up delay ago (the first
    // load before that), sized like the oracle; a violation is a minute whose p95 exceeds the SLO.
    private static (double Cost, int Violations) Rule(LoadTrace trace, int window, double factor, SimulationSummary summary)
    {
        var o = Simulator.Options;
        double[] load = trace.Resample(o.Step);
        int delay = (int)Math.Ceiling(o.StartupDelay / o.Step);
        double rhoMax = Simulator.SloMaxUtilization;
        var curve = new LatencyCurve(o.BaseP95Ms);
        double capacity = summary.CapacityPerInstance;
        double cost = 0;
        int violations = 0;
        for (int i = 0; i < load.Length; i++)
        {
            double peak = load[0];
            if (i - delay >= 0)
            {
                peak = 0;
                for (int k = Math.Max(0, i - delay - window + 1); k <= i - delay; k++)
                {
                    peak = Math.Max(peak, load[k]);
                }
            }

            int n = Math.Clamp((int)Math.Ceiling((factor * peak / (capacity * rhoMax)) - 1e-9), o.MinInstances, o.MaxInstances);
            cost += n * o.PricePerInstanceHour * o.Step.TotalHours;
            violations += curve.P95(load[i] / (n * capacity)) > o.SloP95Ms ? 1 : 0;
        }

        return (cost, violations);
    }
}
