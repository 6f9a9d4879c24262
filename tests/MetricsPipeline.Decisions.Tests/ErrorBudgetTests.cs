using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Decisions.Simulation;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// The predictive policy's SLO error budget: it lowers the error quantiles while the trailing violation rate is under
/// the target and the fleet is over-provisioned, proportionally less up to the limit, and is checkpointed.
/// </summary>
public sealed class ErrorBudgetTests
{
    private static PredictiveScalingOptions Options(TimeSpan? window = null, double slo = 500) => new()
    {
        CapacityPerInstance = 10,
        MinCalibrationSamples = 20,
        CalibrationWindow = TimeSpan.FromHours(1),
        SeasonalPeriod = TimeSpan.FromMinutes(30),
        SloP95Ms = slo,
        ErrorBudgetWindow = window ?? TimeSpan.FromDays(1),
    };

    private static PredictiveScalingPolicy Policy(PredictiveScalingOptions? options = null) => new(options ?? Options(), _ => new NoForecast());

    // A noisy load around 80/s on 20 instances of 10/s: utilisation about 0.4, over-provisioned.
    private static ServiceSnapshot Calm(int minute, int instances = 20, bool violated = false, string service = "api") =>
        Snapshots.At(minute, instances, 40, rate: 80 + (minute * 7919 % 23) - 11, service: service) with { LatencyP95Ms = violated ? 800 : 200 };

    [Fact]
    public void WhenTheSloHoldsOnAnOverProvisionedFleetThenTheQuantilesAreLoweredByTheMaximum()
    {
        var policy = Policy();
        var reasons = new List<string>();
        for (var m = 0; m < 120; m++)
        {
            if (policy.Evaluate(Calm(m)) is { } command)
            {
                reasons.Add(command.Reason);
            }
        }

        var (loosening, rate, utilization) = policy.ErrorBudget("api");
        Assert.Equal(0.15, loosening, 9);
        Assert.Equal(0, rate);
        Assert.InRange(utilization, 0.3, 0.5);
        // The scale-in is sized at the lowered hold quantile: 0.95 − 0.15.
        Assert.Contains(reasons, r => r.Contains("80 % quantile", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenTheViolationRateRisesFromTheTargetToTheLimitThenTheLooseningFallsInProportionAndThenToZero()
    {
        // 119 minutes within the SLO, then one over it: 1 / 120 ≈ 0.833 %, between the target 0.7 % and the limit 1 %.
        var policy = Policy();
        for (var m = 0; m < 119; m++)
        {
            policy.Evaluate(Calm(m));
        }

        Assert.Equal(0.15, policy.ErrorBudget("api").Loosening, 9);
        policy.Evaluate(Calm(119, violated: true));
        var (loosening, rate, _) = policy.ErrorBudget("api");
        Assert.Equal(1 / 120.0, rate, 12);
        Assert.Equal(0.15 * (0.01 - (1 / 120.0)) / 0.003, loosening, 9);

        policy.Evaluate(Calm(120, violated: true));
        Assert.Equal(0, policy.ErrorBudget("api").Loosening);

        // Spent: 2 / 121 stays over the limit until the window has 200 evaluations, and the bound's quantile is the configured one.
        for (var m = 121; m < 180; m++)
        {
            policy.Evaluate(Calm(m));
        }

        Assert.Equal(0, policy.ErrorBudget("api").Loosening);
    }

    [Fact]
    public void WhenTheFleetRunsAboveTheUtilizationCeilingThenTheBudgetIsNotSpent()
    {
        // 80/s on 11 instances of 10/s: utilisation about 0.73, above the 0.6 ceiling; no violation at all.
        var policy = Policy();
        for (var m = 0; m < 120; m++)
        {
            policy.Evaluate(Calm(m, instances: 11));
        }

        var (loosening, rate, utilization) = policy.ErrorBudget("api");
        Assert.Equal(0, loosening);
        Assert.Equal(0, rate);
        Assert.InRange(utilization, 0.6, 0.9);
    }

    [Fact]
    public void WhenNoSloIsSetThenTheBudgetIsOffAndTheConfiguredQuantilesApply()
    {
        var policy = Policy(Options(slo: double.NaN));
        var withBudget = Policy();
        for (var m = 0; m < 120; m++)
        {
            policy.Evaluate(Calm(m));
            withBudget.Evaluate(Calm(m));
        }

        var (loosening, rate, _) = policy.ErrorBudget("api");
        Assert.Equal(0, loosening);
        Assert.True(double.IsNaN(rate));
        Assert.True(withBudget.ErrorBudget("api").Loosening > 0);
        Assert.Equal(0, policy.ErrorBudget("unknown").Loosening);
    }

    [Theory]
    [InlineData(70)]
    [InlineData(150)]
    public void WhenTheStateIsRestoredIntoANewPolicyThenTheBudgetAndTheCommandsContinueExactly(int cut)
    {
        // A 2-hour window (two buckets): by minute 150 the oldest bucket has been replaced. A violation at minutes 100
        // and 200 moves the loosening through its proportional range (1 in 101 … 1 in 120 evaluations, then 61 … 120).
        var options = Options(TimeSpan.FromHours(2));
        var original = Policy(options);
        var restored = Policy(options);
        var expected = new List<string>();
        var actual = new List<string>();
        var loosenings = new HashSet<double>();
        for (var m = 0; m < 240; m++)
        {
            if (m == cut)
            {
                var state = original.SaveState();
                restored.RestoreState(state);
                Assert.Equal(state, restored.SaveState());
                Assert.Equal(original.ErrorBudget("api"), restored.ErrorBudget("api"));
            }

            var snapshot = Calm(m, violated: m is 100 or 200);
            var command = original.Evaluate(snapshot);
            loosenings.Add(original.ErrorBudget("api").Loosening);
            if (m >= cut)
            {
                expected.Add(command?.Reason ?? "-");
                actual.Add(restored.Evaluate(snapshot)?.Reason ?? "-");
                Assert.Equal(original.ErrorBudget("api"), restored.ErrorBudget("api"));
            }
        }

        Assert.True(loosenings.Count > 3, $"the loosening took {loosenings.Count} values");
        Assert.Contains(expected, e => e.Contains("forecast", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WhenAVersion1StateIsRestoredThenItIsReadWithAFreshBudget()
    {
        // Version 1 is version 2 without the error budget at the end of each service. The session-8 version 2 fixture
        // (one service, no SLO: an unused budget over one bucket, 8 (loosening) + 3 × 4 (buckets, next, full) + 4 × 8
        // (sums) bytes) without them is a version 1 snapshot of the same state.
        var v2 = PredictiveScalingStateTests.Version2Fixture();
        var v1 = v2.AsSpan(0, v2.Length - 52).ToArray();
        v1[0] = 1;
        var fromV2 = PredictiveScalingStateTests.Version2Policy(TimeSpan.Zero);
        fromV2.RestoreState(v2);
        var target = PredictiveScalingStateTests.Version2Policy(TimeSpan.Zero);
        target.RestoreState(v1);
        Assert.Equal(fromV2.SaveState(), target.SaveState());
        Assert.Throws<FormatException>(() => target.RestoreState(v2.AsSpan(0, v2.Length - 1)));
    }

    [Fact]
    public void WhenTheBudgetSettingsAreOutOfRangeThenTheOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, ErrorBudgetTarget = 0.01, ErrorBudgetLimit = 0.01 }.Validate);
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, ErrorBudgetMaxLoosening = 1 }.Validate);
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, SloP95Ms = -1 }.Validate);
        Assert.Throws<ArgumentException>(new PredictiveScalingOptions { CapacityPerInstance = 10, ErrorBudgetWindow = TimeSpan.Zero }.Validate);
        new PredictiveScalingOptions { CapacityPerInstance = 10, SloP95Ms = 500 }.Validate();
    }

    [Fact]
    public void WhenTheSimulatorCreatesThePredictivePolicyThenItCountsViolationsAgainstTheSimulationsSlo()
    {
        var simulator = new ClosedLoopSimulator(new SimulationOptions { SloP95Ms = 400 });
        var policy = Assert.IsType<PredictiveScalingPolicy>(simulator.CreatePolicy(new SimulationPolicy { Name = "predictive", Kind = SimulationPolicyKind.Predictive }, 10));
        Assert.Equal(400, policy.Options.SloP95Ms);
        var own = new PredictiveScalingOptions { SloP95Ms = 300 };
        var configured = Assert.IsType<PredictiveScalingPolicy>(simulator.CreatePolicy(new SimulationPolicy { Name = "c", Kind = SimulationPolicyKind.Predictive, Predictive = own }, 10));
        Assert.Equal(300, configured.Options.SloP95Ms);
    }

    private sealed class NoForecast : ILoadForecaster
    {
        public void Observe(DateTimeOffset time, double value)
        {
        }

        public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead) => null;
    }
}
