using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScaleInFloorTests
{
    // Capacity 10 per instance at target 0.8: 8 per instance. No warm-up headroom and no calibration within the test,
    // so the bounds are the current load and only the floor (ungated) differs between the runs.
    private static PredictiveScalingPolicy Policy(TimeSpan floor) => new(
        new PredictiveScalingOptions { CapacityPerInstance = 10, WarmupHeadroom = 0, MinCalibrationSamples = 100_000, ScaleInFloorWindow = floor, ScaleInFloorMaxExcess = double.PositiveInfinity },
        _ => new NoForecast());

    /// <summary>20 instances carry 160/s for 10 minutes, then the load dips to 80/s; returns (minute, target) of every command.</summary>
    private static List<(int Minute, int Target)> RunDip(PredictiveScalingPolicy policy, int minutes)
    {
        var commands = new List<(int, int)>();
        int instances = 20;
        for (int minute = 0; minute < minutes; minute++)
        {
            double rate = minute < 10 ? 160 : 80;
            if (policy.Evaluate(Snapshots.At(minute, instances, 50, rate: rate)) is { } command)
            {
                instances = command.TargetInstances;
                commands.Add((minute, instances));
            }
        }

        return commands;
    }

    [Fact]
    public void WhenNoFloorIsSetThenADipIsScaledInAfterTheStabilizationWindow()
    {
        // The stabilisation window holds minute 9's recommendation of 20 through minute 19 (it keeps the last ten
        // minutes inclusive), so the scale-in to ceil(80 / 8) = 10 comes at minute 20.
        var commands = RunDip(Policy(TimeSpan.Zero), 40);
        Assert.Equal([(20, 10)], commands);
    }

    [Fact]
    public void WhenAFloorWindowIsSetThenTheFleetKeepsTheRecentPeaksCapacityUntilThePeakLeavesTheWindow()
    {
        // The last 160/s was at minute 9: it needs ceil(160 / 8) = 20 instances until minute 69 inclusive, and leaves
        // the hour's window at minute 70, when the ten-minute stabilisation has long recommended 10.
        var commands = RunDip(Policy(TimeSpan.FromHours(1)), 120);
        Assert.Equal([(70, 10)], commands);
    }

    [Fact]
    public void WhenTheFloorWindowOrTheGateIsNegativeThenTheOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, ScaleInFloorWindow = TimeSpan.FromMinutes(-1) }.Validate);
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, ScaleInFloorMaxExcess = -0.1 }.Validate);
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, ScaleInFloorMaxExcess = double.NaN }.Validate);
        new PredictiveScalingOptions { CapacityPerInstance = 10 }.Validate();
    }

    [Fact]
    public void WhenALoadDipsAndRecoversSharplyThenTheFloorCutsViolationMinutesInTheClosedLoop()
    {
        // Three days of a flat 1000/s with a 20-minute dip to 800/s every 3 hours that recovers within one minute:
        // the recovery is what no forecast sees coming; without the floor the fleet has scaled in for the dip and
        // serves it short-handed for a start-up delay. The floor's excess is about 25 % for 20 of every 180 minutes.
        var points = new List<(DateTimeOffset, double)>();
        for (int minute = 0; minute < 3 * 1440; minute++)
        {
            int phase = minute % 180;
            points.Add((Traces.Start.AddMinutes(minute), phase is >= 100 and < 120 ? 800 : 1000));
        }

        var trace = new LoadTrace("dips", points);
        var plain = Simulator.Run(trace, Predictive(TimeSpan.Zero));
        var floored = Simulator.Run(trace, Predictive(TimeSpan.FromHours(1), double.PositiveInfinity));
        var standard = Simulator.Run(trace, SimulationPolicy.Parse("predictive"));
        Assert.True(plain.SloViolationMinutes >= 20, $"{plain.SloViolationMinutes} violation minutes without the floor");
        Assert.True(floored.SloViolationMinutes * 4 <= plain.SloViolationMinutes, $"{floored.SloViolationMinutes} vs {plain.SloViolationMinutes}");
        Assert.True(floored.Cost > plain.Cost, "holding the peak's capacity through the dips costs more");
        Assert.Equal(0, floored.Oscillations);

        // The defaults (4 hours, gated at 5 %): the short shallow dips cost the floor little (≈ 3 %), so the gate lets it apply.
        Assert.True(standard.SloViolationMinutes * 4 <= plain.SloViolationMinutes, $"{standard.SloViolationMinutes} vs {plain.SloViolationMinutes} with the defaults");
    }

    [Fact]
    public void WhenTheLoadFollowsADailyCycleThenTheGateKeepsTheFloorFromHoldingThePeakThroughTheDecline()
    {
        // On a daily sine the 4-hour floor would hold the morning's peak through the afternoon's decline. Its excess
        // over the bounds' recommendation is far above 5 %, so the default gate keeps it off: the cost stays that of
        // the policy without a floor, while the ungated floor pays much more.
        var trace = Traces.Sine(days: 4);
        var plain = Simulator.Run(trace, Predictive(TimeSpan.Zero));
        var ungated = Simulator.Run(trace, Predictive(TimeSpan.FromHours(4), double.PositiveInfinity));
        var standard = Simulator.Run(trace, SimulationPolicy.Parse("predictive"));
        Assert.True(ungated.Cost > 1.05 * plain.Cost, $"ungated floor {ungated.Cost} vs {plain.Cost}");
        Assert.True(standard.Cost < 1.01 * plain.Cost, $"gated floor {standard.Cost} vs {plain.Cost}");
    }

    private static readonly ClosedLoopSimulator Simulator = new();

    /// <summary>The simulator's named predictive policy with the given floor and gate.</summary>
    private static SimulationPolicy Predictive(TimeSpan floor, double maxExcess = 0.05) => new()
    {
        Name = "predictive",
        Kind = SimulationPolicyKind.Predictive,
        Predictive = new PredictiveScalingOptions
        {
            TargetUtilization = Math.Floor(Simulator.SloMaxUtilization * 1e4) / 1e4,
            ScaleInFloorWindow = floor,
            ScaleInFloorMaxExcess = maxExcess,
        },
    };

    private sealed class NoForecast : ILoadForecaster
    {
        public void Observe(DateTimeOffset time, double value)
        {
        }

        public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead) => null;
    }
}
