using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The growth phase each service is in survives a restart: a service held in its phase by the down hysteresis (users
/// under the phase's threshold but not 10 % under) is in the same phase after the restore, not the one below.
/// </summary>
public sealed class GrowthPhaseRestartTests
{
    // Service "api": 2 instance windows reporting `instances` and `users` active users (summed: users / 2 each), CPU 50 %.
    private static AggregateBatch Minute(int minute, int instances, double users) =>
        new([.. Enumerable.Range(0, 2).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 50), Stat("cpu_percent", 50), Stat("memory_percent", 45), Stat("active_users", users / 2), Stat("instances", instances)]))], [], T0 + ((minute + 1) * MinuteNs));

    private static ScalingStage Create(List<JsonElement> commands)
    {
        var options = new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 };
        options.Cost.Enabled = false;
        options.Phases.Add(new GrowthPhaseOptions { Name = "startup", MinActiveUsers = 0, MinInstances = 1, MaxInstances = 10 });
        options.Phases.Add(new GrowthPhaseOptions { Name = "growth", MinActiveUsers = 1000, MinInstances = 20, MaxInstances = 100 });
        return new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "scaling-commands")
            {
                commands.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
    }

    [Fact]
    public void WhenAServiceInTheHysteresisBandRestartsThenItStaysInItsPhase()
    {
        var commands = new List<JsonElement>();
        var stage = Create(commands);
        // 1200 users: phase growth, 20 instances; then 950 users, inside the 10 % band under 1000: still growth.
        stage.OnWindows(Minute(0, 20, 1200));
        for (int minute = 1; minute < 5; minute++)
        {
            stage.OnWindows(Minute(minute, 20, 950));
        }

        Assert.DoesNotContain(commands, c => c.GetProperty("trigger").GetString() == "phase");
        var restarted = Create(commands);
        restarted.RestoreState(stage.SaveState());
        for (int minute = 5; minute < 10; minute++)
        {
            restarted.OnWindows(Minute(minute, 20, 950));
        }

        // Before: the restored stage started in "startup" and scaled the 20 instances in to its maximum of 10.
        Assert.DoesNotContain(commands, c => c.GetProperty("action").GetString() == "scale_in");
    }
}
