using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class ScaleInFloorTests
{
    // Capacity 10 per instance at target 0.8: 8 per instance. No warm-up headroom and no calibration within the test,
    // so the bounds are the current load and only the floor differs between the runs.
    private static PredictiveScalingPolicy Policy(TimeSpan floor) => new(
        new PredictiveScalingOptions { CapacityPerInstance = 10, WarmupHeadroom = 0, MinCalibrationSamples = 100_000, ScaleInFloorWindow = floor },
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
    public void WhenTheFloorWindowIsNegativeThenTheOptionsAreRejected()
    {
        var options = new PredictiveScalingOptions { CapacityPerInstance = 10, ScaleInFloorWindow = TimeSpan.FromMinutes(-1) };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void WhenALoadDipsAndRecoversSharplyThenTheFloorCutsViolationMinutesInTheClosedLoop()
    {
        // Three days of a flat 1000/s with a 40-minute dip to 500/s every 3 hours that recovers within one minute:
        // the recovery is what no forecast sees coming; without the floor the fleet has scaled in for the dip and
        // serves it short-handed for a start-up delay.
        var points = new List<(DateTimeOffset, double)>();
        for (int minute = 0; minute < 3 * 1440; minute++)
        {
            int phase = minute % 180;
            points.Add((Traces.Start.AddMinutes(minute), phase is >= 100 and < 140 ? 500 : 1000));
        }

        var trace = new LoadTrace("dips", points);
        var simulator = new ClosedLoopSimulator();
        double target = Math.Floor(simulator.SloMaxUtilization * 1e4) / 1e4;
        SimulationPolicy Predictive(TimeSpan floor) => new()
        {
            Name = "predictive",
            Kind = SimulationPolicyKind.Predictive,
            Predictive = new PredictiveScalingOptions { TargetUtilization = target, ScaleInFloorWindow = floor },
        };

        var plain = simulator.Run(trace, Predictive(TimeSpan.Zero));
        var floored = simulator.Run(trace, Predictive(TimeSpan.FromHours(1)));
        Assert.True(plain.SloViolationMinutes >= 20, $"{plain.SloViolationMinutes} violation minutes without the floor");
        Assert.True(floored.SloViolationMinutes * 4 <= plain.SloViolationMinutes, $"{floored.SloViolationMinutes} vs {plain.SloViolationMinutes}");
        Assert.True(floored.Cost > plain.Cost, "holding the peak's capacity through the dips costs more");
        Assert.Equal(0, floored.Oscillations);
    }

    private sealed class NoForecast : ILoadForecaster
    {
        public void Observe(DateTimeOffset time, double value)
        {
        }

        public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead) => null;
    }
}
