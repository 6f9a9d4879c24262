using MetricsPipeline.Decisions.Forecasts;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

public sealed class DecisionStreamTests
{
    [Fact]
    public void WhenABreachIsSustainedInTheStreamThenTheCommandLeavesWithinOneEvaluationInterval()
    {
        var scheduler = new HistoricalScheduler(T0);
        var interval = TimeSpan.FromSeconds(60);
        // The breach starts at 00:02:30 (between evaluations); CPU is 85 % from then on.
        var breachStart = T0.AddSeconds(150);
        var snapshots = Observable.Interval(interval, scheduler)
            .Select(_ => scheduler.Now)
            .Select(now => new ServiceSnapshot("api", now, 10) { CpuPercent = now >= breachStart ? 85 : 50, MemoryPercent = 40, RequestRate = 100 });
        var emitted = new List<(DateTimeOffset At, ScalingCommand Command)>();
        var alerts = new List<(DateTimeOffset At, AlertEnvelope Alert)>();
        var shared = snapshots.Publish().RefCount();
        using var s1 = shared.DecideScaling(new ReactiveScalingPolicy()).Subscribe(c => emitted.Add((scheduler.Now, c)));
        using var s2 = shared.EvaluateThresholds(new ThresholdAlertEvaluator()).Subscribe(a => alerts.Add((scheduler.Now, a)));
        scheduler.AdvanceBy(TimeSpan.FromMinutes(15));

        var (at, command) = emitted[0];
        var sustainedFrom = breachStart + TimeSpan.FromMinutes(5); // the "for" duration of the playbook rule
        Assert.InRange(at, sustainedFrom, sustainedFrom + interval);
        Assert.Equal("cpu_sustained", command.Rule);
        var (alertAt, alert) = Assert.Single(alerts);
        Assert.InRange(alertAt, breachStart, breachStart + interval);
        Assert.Equal("cpu_high", alert.Rule);
    }

    [Fact]
    public void WhenTheLoadJumpsInTheStreamThenThePredictivePolicyScalesOutWithinOneEvaluationInterval()
    {
        var scheduler = new HistoricalScheduler(T0);
        var interval = TimeSpan.FromSeconds(60);
        // 80/s on 10 instances of 10/s for an hour (calibrates the bound), then 130/s from 01:00:30 (between evaluations).
        var jump = T0.AddMinutes(60).AddSeconds(30);
        var snapshots = Observable.Interval(interval, scheduler)
            .Select(_ => scheduler.Now)
            .Select(now => new ServiceSnapshot("api", now, 10) { CpuPercent = 50, MemoryPercent = 40, RequestRate = now >= jump ? 130 : 80 });
        var policy = new PredictiveScalingPolicy(new PredictiveScalingOptions { CapacityPerInstance = 10, TargetUtilization = 0.8, MinCalibrationSamples = 30, WarmupHeadroom = 0 },
            _ => new SsaLoadForecaster());
        var emitted = new List<(DateTimeOffset At, ScalingCommand Command)>();
        using var subscription = snapshots.DecideScaling(policy).Subscribe(c => emitted.Add((scheduler.Now, c)));
        scheduler.AdvanceBy(TimeSpan.FromMinutes(70));

        var (at, command) = emitted.First(e => e.Command.Action == ScalingAction.ScaleOut);
        Assert.InRange(at, jump, jump + interval);
        Assert.Equal(ScalingTrigger.Predictive, command.Trigger);
        Assert.True(command.TargetInstances >= 17, $"130/s at 80 % of 10/s needs 17, got {command.TargetInstances}");
    }

    [Fact]
    public void WhenPoliciesAreCombinedThenTheLargestScaleOutWinsAndEveryPolicySeesEverySnapshot()
    {
        var schedule = new ScheduledScalingPolicy([new ScheduledScalingRule("floor", "api", CronSchedule.Parse("* * * * *"), TimeSpan.FromMinutes(1), 8)]);
        var reactive = new ReactiveScalingPolicy();
        var composite = new CompositeScalingPolicy(schedule, reactive);
        var first = composite.Evaluate(At(0, 4, 95)); // schedule wants 8, reactive (critical) wants ceil(4 × 95 / 70) = 6
        Assert.Equal((ScalingTrigger.Scheduled, 8), (first!.Trigger, first.TargetInstances));
        // The reactive policy saw minute 0 too: its increase cooldown holds at minute 1.
        Assert.Null(composite.Evaluate(At(1, 8, 95)));
    }

    [Fact]
    public void WhenWindowStatisticsAreFedThenTheSnapshotCombinesInstances()
    {
        var builder = new ServiceSnapshotBuilder();
        builder.Add("service", "cpu_percent", "mean", 62);
        builder.Add("service", "request_rate", "mean", 40);
        builder.Add("service", "instances", "max", 3);
        builder.Add("service", "db_connections", "mean", 10);
        builder.Add("service", "db_pool_size", "mean", 25);
        builder.Add("http_request", "latency_ms", "p95", 420);
        builder.Add("disk", "used_percent", "mean", 99);
        var snapshot = builder.Build("api", T0);
        Assert.Equal(3, snapshot.Instances);
        Assert.Equal(62, snapshot.CpuPercent);
        Assert.Equal(120, snapshot.RequestRate);
        Assert.Equal(30, snapshot.DbConnections);
        Assert.Equal(75, snapshot.DbPoolSize);
        Assert.Equal(420, snapshot.LatencyP95Ms);
        Assert.True(double.IsNaN(snapshot.MemoryPercent));
        Assert.Equal(5, builder.Build("api", T0, instances: 5).Instances);
    }
}
