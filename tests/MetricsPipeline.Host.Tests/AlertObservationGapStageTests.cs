using System.Text.Json;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The decision stage evaluates alerts once per window, and tells its evaluator so: consecutive windows are no gap in a
/// breach (its "for" clock runs on), a missing window is.
/// </summary>
public sealed class AlertObservationGapStageTests
{
    private static List<int> CpuAlertMinutes(TimeSpan window, IEnumerable<int> windowStarts)
    {
        var options = new ScalingStageOptions { WindowSize = window, PredictiveEnabled = false, Cost = { Enabled = false } };
        options.AlertRules["cpu_high"] = new AlertRuleOptions { For = TimeSpan.FromMinutes(10) };
        var fired = new List<int>();
        int current = 0;
        var stage = new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            var alert = JsonDocument.Parse(value).RootElement;
            if (topic == "alerts" && alert.GetProperty("rule").GetString() == "cpu_high")
            {
                fired.Add(current);
            }
        });
        foreach (var start in windowStarts)
        {
            current = start;
            var w = new WindowResult(0, "service", [new("instance", "api-0"), new("service", "api")], window, T0 + (start * MinuteNs),
                [Stat("request_rate", 100), Stat("cpu_percent", 97), Stat("memory_percent", 45), Stat("instances", 2)]);
            stage.OnWindows(new AggregateBatch([w], [], T0 + (start * MinuteNs) + (window.Ticks * 100)));
        }

        return fired;
    }

    [Fact]
    public void WhenTheWindowIsFiveMinutesThenABreachInConsecutiveWindowsFiresAfterTheForDuration()
    {
        // Windows ending at 5, 10, 15, 20: the breach is seen from 5 and has held 10 minutes at 15 (the window starting at 10).
        Assert.Equal([10], CpuAlertMinutes(TimeSpan.FromMinutes(5), [0, 5, 10, 15]));
    }

    [Fact]
    public void WhenAOneMinuteWindowIsMissingThenTheBreachCountsAgainFromTheNextOne()
    {
        // Minute 3 never arrives: the breach is counted from the window of minute 4 and fires 10 minutes on.
        Assert.Equal([14], CpuAlertMinutes(TimeSpan.FromMinutes(1), [0, 1, 2, .. Enumerable.Range(4, 14)]));
    }
}
