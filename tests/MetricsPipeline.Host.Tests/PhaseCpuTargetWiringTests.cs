using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>A growth phase's CPU target reaches the reactive policy of the decision stage while the phase is active.</summary>
public sealed class PhaseCpuTargetWiringTests
{
    /// <summary>One batch with the <c>service</c> windows of 4 instances of api at <paramref name="cpu"/> % CPU.</summary>
    private static AggregateBatch Minute(int minute, double cpu, double users) =>
        new([.. Enumerable.Range(0, 4).Select(i => new WindowResult(
            i,
            "service",
            [new("instance", $"api-{i}"), new("service", "api")],
            TimeSpan.FromMinutes(1),
            T0 + (minute * MinuteNs),
            [Stat("request_rate", 25), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", 4), Stat("active_users", users / 4)]))],
            [], T0 + ((minute + 1) * MinuteNs));

    private static JsonElement FirstCommand(ScalingStageOptions options, double users)
    {
        var commands = new List<JsonElement>();
        var stage = new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "scaling-commands")
            {
                commands.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        stage.OnWindows(Minute(0, 92, users));
        return Assert.Single(commands);
    }

    private static ScalingStageOptions Options() => new()
    {
        PredictiveEnabled = false,
        AlertsEnabled = false,
        Cost = { Enabled = false },
        // startup keeps the reactive policy's own target (70 %); growth runs its instances at 50 %.
        Phases = [new() { Name = "startup", MinActiveUsers = 0, MinInstances = 1, MaxInstances = 20, TargetCpuPercent = 70 },
                  new() { Name = "growth", MinActiveUsers = 1_000, MinInstances = 1, MaxInstances = 20, TargetCpuPercent = 50 }],
    };

    [Fact]
    public void WhenTheActivePhaseHasALowerCpuTargetThenTheReactiveScaleOutSizesForIt()
    {
        // 4 instances at 92 % CPU (critical): ceil(4 × 92 / 50) = 8 in the growth phase, ceil(4 × 92 / 70) = 6 in startup.
        var growth = FirstCommand(Options(), 5_000);
        Assert.Equal(("reactive", "cpu_critical", 8), (growth.GetProperty("trigger").GetString(), growth.GetProperty("rule").GetString(), growth.GetProperty("target_instances").GetInt32()));
        Assert.Contains("/ 50", growth.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var startup = FirstCommand(Options(), 500);
        Assert.Equal(("reactive", "cpu_critical", 6), (startup.GetProperty("trigger").GetString(), startup.GetProperty("rule").GetString(), startup.GetProperty("target_instances").GetInt32()));
    }
}
