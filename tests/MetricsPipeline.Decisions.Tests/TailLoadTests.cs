using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// The predictive policy's load-weighted tail (<see cref="PredictiveScalingOptions.TailLoadExponent"/>): where the
/// forecast is above the chosen candidate's recent mean, the bounds take a larger share of the error tail (a lower
/// quantile); at or below it the configured quantile applies, never a higher one.
/// </summary>
public sealed class TailLoadTests
{
    private static PredictiveScalingOptions Options(double exponent = 1, double maxRatio = 2) => new()
    {
        CapacityPerInstance = 10,
        MinCalibrationSamples = 20,
        CalibrationWindow = TimeSpan.FromHours(1),
        SeasonalPeriod = TimeSpan.Zero,
        ScaleInFloorWindow = TimeSpan.Zero,
        TailLoadExponent = exponent,
        TailLoadMaxRatio = maxRatio,
    };

    // Noise of ±10 % around the level, the same for every run.
    private static double Noisy(int minute, double level) => level * (1 + (((minute * 7919 % 21) - 10) / 100.0));

    /// <summary>Feeds the load per minute, applying every command (the policy assumes that), and returns the commands.</summary>
    private static List<ScalingCommand> Run(PredictiveScalingPolicy policy, Func<int, double> load, int minutes, int instances = 20)
    {
        var commands = new List<ScalingCommand>();
        for (var m = 0; m < minutes; m++)
        {
            if (policy.Evaluate(Snapshots.At(m, instances, 40, rate: load(m))) is { } command)
            {
                commands.Add(command);
                instances = command.TargetInstances;
            }
        }

        return commands;
    }

    // Two hours around 100/s (the calibration window fills), then the load doubles for an hour.
    private static double Step(int minute) => Noisy(minute, minute < 120 ? 100 : 200);

    [Fact]
    public void WhenTheLoadRisesAboveItsRecentMeanThenTheScaleOutTakesALargerShareOfTheTail()
    {
        var on = Run(new PredictiveScalingPolicy(Options(), _ => new NoForecast()), Step, 180);
        var off = Run(new PredictiveScalingPolicy(Options(exponent: 0), _ => new NoForecast()), Step, 180);

        var rising = on.Where(c => c.IssuedAt >= Snapshots.T0.AddMinutes(120) && c.TargetInstances > c.CurrentInstances && c.Rule == "forecast_upper_bound").ToList();
        Assert.NotEmpty(rising);
        // The forecast is up to twice its mean: the tail share 0.04 grows up to 0.08, so the quantile is in [0.92, 0.96).
        Assert.All(rising, c => Assert.InRange(c.Forecast!.ConfidenceLevel, 0.92 - 1e-9, 0.96 - 1e-6));
        Assert.Contains(rising, c => c.Forecast!.ConfidenceLevel < 0.95);
        // Without it every calibrated scale-out is at the configured 0.96.
        Assert.All(off.Where(c => c.TargetInstances > c.CurrentInstances && c.Rule == "forecast_upper_bound"), c => Assert.Equal(0.96, c.Forecast!.ConfidenceLevel, 12));
        // A lower quantile provisions less for the same step.
        Assert.True(on.Where(c => c.IssuedAt >= Snapshots.T0.AddMinutes(120)).Max(c => c.TargetInstances) <= off.Where(c => c.IssuedAt >= Snapshots.T0.AddMinutes(120)).Max(c => c.TargetInstances));
    }

    [Fact]
    public void WhenTheLoadFallsBelowItsRecentMeanThenTheConfiguredQuantileApplies()
    {
        // Two hours around 200/s, then half: the forecast is below its mean, and a raised quantile there would set calm
        // minutes' bounds at the rare spikes; the scale-ins keep the configured hold quantile 0.95 exactly.
        var commands = Run(new PredictiveScalingPolicy(Options(), _ => new NoForecast()), m => Noisy(m, m < 120 ? 200 : 100), 240, instances: 30);
        var scaleIns = commands.Where(c => c.IssuedAt >= Snapshots.T0.AddMinutes(120) && c.TargetInstances < c.CurrentInstances && c.Rule == "forecast_upper_bound").ToList();
        Assert.NotEmpty(scaleIns);
        Assert.All(scaleIns, c => Assert.Equal(0.95, c.Forecast!.ConfidenceLevel, 12));
    }

    [Fact]
    public void WhenTheRatioIsClampedThenTheTailShareGrowsAtMostByTheMaxRatio()
    {
        // The step doubles the load, but with the clamp at 1.25 the tail share 0.04 grows at most to 0.05.
        var commands = Run(new PredictiveScalingPolicy(Options(maxRatio: 1.25), _ => new NoForecast()), Step, 180);
        var rising = commands.Where(c => c.IssuedAt >= Snapshots.T0.AddMinutes(120) && c.TargetInstances > c.CurrentInstances && c.Rule == "forecast_upper_bound").ToList();
        Assert.NotEmpty(rising);
        Assert.All(rising, c => Assert.InRange(c.Forecast!.ConfidenceLevel, 0.95 - 1e-9, 0.96));
        Assert.Contains(rising, c => Math.Abs(c.Forecast!.ConfidenceLevel - 0.95) < 1e-9);
    }

    [Fact]
    public void WhenTheDailyCycleIsSimulatedThenTheWeightedTailCostsLessAtNoMoreThanTheSlosShare()
    {
        // A daily cycle (0.5–1.5 × its mean) with ±1.5 % noise: the peak hours take the larger tail share.
        var simulator = new ClosedLoopSimulator();
        var trace = Traces.Sine(days: 4);
        double capacity = simulator.CapacityFor(trace);
        var utilization = Math.Floor(simulator.SloMaxUtilization * 1e4) / 1e4;
        SimulationSummary Simulate(double exponent) => simulator.Run(trace, new SimulationPolicy
        {
            Name = "predictive",
            Kind = SimulationPolicyKind.Predictive,
            Predictive = new PredictiveScalingOptions { TargetUtilization = utilization, TailLoadExponent = exponent },
        });

        var on = Simulate(1);
        var off = Simulate(0);
        Assert.True(capacity > 0);
        Assert.True(on.Cost < off.Cost, $"weighted {on.Cost} vs {off.Cost}");
        Assert.True(on.SloViolationMinutes <= 0.01 * on.TotalMinutes, $"{on.SloViolationMinutes} of {on.TotalMinutes} minutes");
        Assert.Equal(0, on.Oscillations);
    }

    [Fact]
    public void WhenTheTailOptionsAreOutOfRangeThenValidateThrows()
    {
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, TailLoadExponent = -1 }.Validate);
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, TailLoadExponent = double.NaN }.Validate);
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, TailLoadMaxRatio = 0.5 }.Validate);
        new PredictiveScalingOptions { CapacityPerInstance = 10, TailLoadExponent = 0, TailLoadMaxRatio = 1 }.Validate();
    }

    private sealed class NoForecast : ILoadForecaster
    {
        public void Observe(DateTimeOffset time, double value)
        {
        }

        public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead) => null;
    }
}
