using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The stream's snapshot knows how many instances its CPU was measured over: the instances that reported a window.
/// Instances the service counts but that did not report (starting) are not multiplied by the reporting ones' CPU.
/// </summary>
public sealed class ScalingStageReadyInstancesTests
{
    private static AggregateBatch Minute(int minute, int reporting, int instances, double cpu) =>
        new([.. Enumerable.Range(0, reporting).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 50), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", instances)]))], [], T0 + ((minute + 1) * MinuteNs));

    private static List<JsonElement> Commands(int reporting, int instances, double cpu)
    {
        var commands = new List<JsonElement>();
        var stage = new ScalingStage(new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, Cost = { Enabled = false } }, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "scaling-commands")
            {
                commands.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        stage.OnWindows(Minute(0, reporting, instances, cpu));
        return commands;
    }

    [Fact]
    public void WhenHalfTheInstancesHaveNotReportedYetThenTheirCriticalCpuIsNotMultipliedByTheStartingOnes()
    {
        // 10 of 20 instances report 95 % CPU (critical, target 70): counting the other 10 at 0 % the fleet is at 0.68 of
        // the target, so nothing to add. Before: desired = ceil(20 × 95 / 70) = 28.
        Assert.Empty(Commands(10, 20, 95));

        // All 20 reporting at 95 % is a real breach.
        Assert.Equal(28, Assert.Single(Commands(20, 20, 95)).GetProperty("target_instances").GetInt32());
    }
}
