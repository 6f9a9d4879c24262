using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Scaling;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class PredictiveScalingPolicyTests
{
    // Capacity 10 per instance at target 0.8: 8 per instance is on target. No warm-up headroom, so before any forecast
    // error is scored the policy sizes for the current load exactly.
    private static PredictiveScalingOptions Options(double reversal = double.PositiveInfinity, double scaleOutTolerance = 0) =>
        new() { CapacityPerInstance = 10, WarmupHeadroom = 0, ReversalUtilization = reversal, ScaleOutTolerance = scaleOutTolerance };

    private static PredictiveScalingPolicy Policy(PredictiveScalingOptions options) => new(options, _ => new WarmingUp());

    [Fact]
    public void WhenDemandIsWithinTheScaleOutToleranceThenNoCommandIsIssued()
    {
        var policy = Policy(Options(scaleOutTolerance: 0.03));
        Assert.Null(policy.Evaluate(Snapshots.At(0, 10, 50, rate: 82)));
        var command = policy.Evaluate(Snapshots.At(1, 10, 50, rate: 90));
        Assert.NotNull(command);
        Assert.Equal(12, command.TargetInstances);
    }

    [Fact]
    public void WhenLoadReturnsSoonAfterAScaleInThenOnlyASurgePastTheReversalUtilizationReversesIt()
    {
        var policy = Policy(Options(reversal: 1));
        var scaleIn = policy.Evaluate(Snapshots.At(0, 20, 30, rate: 80));
        Assert.NotNull(scaleIn);
        Assert.Equal(10, scaleIn.TargetInstances);

        // 95 % of full load within the cooldown after the scale-in: held, not reversed.
        Assert.Null(policy.Evaluate(Snapshots.At(2, 10, 90, rate: 95)));

        // Past full load the guard gives way.
        var surge = policy.Evaluate(Snapshots.At(3, 10, 95, rate: 105));
        Assert.NotNull(surge);
        Assert.Equal(14, surge.TargetInstances);
    }

    [Fact]
    public void WhenTheReversalUtilizationIsTheDefaultThenNothingReversesAScaleInWithinTheCooldown()
    {
        var policy = Policy(Options());
        Assert.Equal(10, policy.Evaluate(Snapshots.At(0, 20, 30, rate: 80))!.TargetInstances);
        Assert.Null(policy.Evaluate(Snapshots.At(2, 10, 100, rate: 300)));
        Assert.Equal(38, policy.Evaluate(Snapshots.At(5, 10, 100, rate: 300))!.TargetInstances);
    }

    [Fact]
    public void WhenTheCooldownAfterAScaleInHasPassedThenTheUsualScaleOutRuleApplies()
    {
        var policy = Policy(Options(reversal: 1));
        Assert.Equal(10, policy.Evaluate(Snapshots.At(0, 20, 30, rate: 80))!.TargetInstances);
        Assert.Null(policy.Evaluate(Snapshots.At(4, 10, 90, rate: 95)));
        var command = policy.Evaluate(Snapshots.At(6, 10, 90, rate: 95));
        Assert.NotNull(command);
        Assert.Equal(12, command.TargetInstances);
    }

    [Fact]
    public void WhenTheLoadAlternatesThenTheCalibratedUpperBoundCoversItsPeaks()
    {
        // 80 and 100 alternate every minute. Sized for the current load the fleet would drop to 10 instances (80 / 8)
        // on every quiet minute and be short on the next; the calibrated bound has learnt that the window's maximum is
        // 100, so once calibrated the policy never holds fewer than ceil(100 / 8) = 13 instances. (It holds a little
        // more while the warm-up's errors, when the smoothed candidates started from 80, are in the calibration window.)
        var options = Options();
        options.MinCalibrationSamples = 30;
        var policy = Policy(options);
        int instances = 13;
        var counts = new List<int>();
        for (int minute = 0; minute < 240; minute++)
        {
            double rate = minute % 2 == 0 ? 80 : 100;
            if (policy.Evaluate(Snapshots.At(minute, instances, 50, rate: rate)) is { } command)
            {
                instances = command.TargetInstances;
            }

            counts.Add(instances);
        }

        Assert.All(counts.Skip(60), n => Assert.InRange(n, 13, 15));
    }

    [Fact]
    public void WhenTheCommandIsIssuedAfterCalibrationThenItCarriesTheUpperBoundAndTheQuantile()
    {
        var options = Options();
        options.MinCalibrationSamples = 30;
        // One quantile at every load, so the carried level is exactly the configured one (TailLoadTests covers the weighted one).
        options.TailLoadExponent = 0;
        var policy = Policy(options);
        for (int minute = 0; minute < 60; minute++)
        {
            Assert.Null(policy.Evaluate(Snapshots.At(minute, 10, 50, rate: 80)));
        }

        var command = policy.Evaluate(Snapshots.At(60, 10, 50, rate: 120));
        Assert.NotNull(command);
        Assert.Equal("forecast_upper_bound", command.Rule);
        Assert.NotNull(command.Forecast);
        Assert.Equal(options.ErrorQuantile, command.Forecast.ConfidenceLevel);
        Assert.True(command.Forecast.Upper >= 120, $"upper {command.Forecast.Upper}");
        Assert.Equal(15, command.TargetInstances);
    }

    [Fact]
    public void WhenAScaleInIsIssuedAfterCalibrationThenItCarriesTheHoldQuantile()
    {
        // The scale-in keeps the hold window's bound, set at HoldErrorQuantile: the command must say so, not the lead
        // window's quantile.
        var options = Options();
        options.MinCalibrationSamples = 30;
        options.HoldErrorQuantile = 0.9;
        var policy = Policy(options);
        int instances = 20;
        ScalingCommand? scaleIn = null;
        for (int minute = 0; minute < 120 && scaleIn is null; minute++)
        {
            double rate = minute < 60 ? 150 : 40;
            if (policy.Evaluate(Snapshots.At(minute, instances, 50, rate: rate)) is { } command)
            {
                instances = command.TargetInstances;
                scaleIn = minute >= 60 && command.Action == ScalingAction.ScaleIn && command.Rule == "forecast_upper_bound" ? command : null;
            }
        }

        Assert.NotNull(scaleIn);
        Assert.NotNull(scaleIn.Forecast);
        Assert.Equal(0.9, scaleIn.Forecast.ConfidenceLevel);
        Assert.Contains("90 % quantile", scaleIn.Reason, StringComparison.Ordinal);
    }

    private sealed class WarmingUp : ILoadForecaster
    {
        public void Observe(DateTimeOffset time, double value)
        {
        }

        public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead) => null;
    }
}
