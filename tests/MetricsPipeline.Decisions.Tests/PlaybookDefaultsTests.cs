using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Scaling;
using Xunit;
using static MetricsPipeline.Decisions.Tests.Snapshots;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>Every playbook default of issue #6 items 1–2, at its boundary: just beyond fires, the threshold itself does not.</summary>
public sealed class PlaybookDefaultsTests
{
    private static ServiceSnapshot With(string metric, double value)
    {
        var s = At(0, 5, 50); // CPU 50 %, memory 40 %: no rule of its own fires
        return metric switch
        {
            "cpu" => s with { CpuPercent = value },
            "memory" => s with { MemoryPercent = value },
            "p95" => s with { LatencyP95Ms = value },
            "p99" => s with { LatencyP99Ms = value },
            "error" => s with { ErrorRatePercent = value },
            "queue" => s with { QueueDepth = value },
            "db" => s with { DbConnections = value, DbPoolSize = 100 },
            _ => throw new ArgumentOutOfRangeException(nameof(metric)),
        };
    }

    [Theory]
    [InlineData("cpu", 90.01, 90, "cpu_critical")]
    [InlineData("memory", 85.01, 85, "memory")]
    [InlineData("p95", 2000.5, 2000, "latency_p95")]
    [InlineData("p99", 5000.5, 5000, "latency_p99")]
    [InlineData("error", 5.01, 5, "error_rate")]
    [InlineData("queue", 101, 100, "queue_depth")]
    [InlineData("db", 81, 80, "db_pool")]
    public void WhenAMetricIsJustBeyondItsReactiveDefaultThenTheFirstEvaluationScalesOutAndAtTheThresholdItDoesNot(string metric, double beyond, double at, string rule)
    {
        var command = new ReactiveScalingPolicy().Evaluate(With(metric, beyond));
        Assert.NotNull(command);
        Assert.Equal((ScalingAction.ScaleOut, rule), (command.Action, command.Rule));
        Assert.Null(new ReactiveScalingPolicy().Evaluate(With(metric, at)));
    }

    [Theory]
    [InlineData("p95", "response_time_high", new[] { 1000.0, 2000.0, 5000.0 })]
    [InlineData("cpu", "cpu_high", new[] { 80.0, 90.0, 95.0 })]
    [InlineData("memory", "memory_high", new[] { 85.0, 95.0, 98.0 })]
    [InlineData("db", "db_pool_high", new[] { 80.0, 90.0, 95.0 })]
    [InlineData("error", "error_rate_high", new[] { 5.0 })]
    [InlineData("queue", "queue_depth_high", new[] { 1000.0 })]
    public void WhenAMetricIsJustBeyondEachAlertLevelThenThatLevelFiresAtTheFirstEvaluation(string metric, string rule, double[] thresholds)
    {
        var levels = PlaybookAlertRules.Defaults().Single(r => r.Name == rule).Levels;
        Assert.Equal(thresholds, levels.Select(l => l.Threshold));
        for (int i = 0; i < thresholds.Length; i++)
        {
            var evaluator = new ThresholdAlertEvaluator();
            Assert.DoesNotContain(evaluator.Evaluate(With(metric, thresholds[i])), a => a.Rule == rule && a.Severity == levels[i].Severity);
            var fired = Assert.Single(new ThresholdAlertEvaluator().Evaluate(With(metric, thresholds[i] + 0.5)), a => a.Rule == rule);
            Assert.Equal((AlertStatus.Firing, levels[i].Severity, thresholds[i]), (fired.Status, fired.Severity, fired.Threshold));
        }
    }
}
