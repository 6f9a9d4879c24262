using System.Text.Json;
using MetricsPipeline.Analytics.Pipeline;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Scaling;
using MetricsPipeline.Forecasting.Streaming;
using MetricsPipeline.Host.Forecasting;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>Predictive scaling in forecast-only mode in the decision stage: its advice is published, and does not mute real commands.</summary>
public sealed class ForecastOnlyStreamTests
{
    private static AggregateBatch Minute(int minute, int instances, double totalRate, double cpu) =>
        new([.. Enumerable.Range(0, instances).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", totalRate / instances), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", instances)]))],
            [], T0 + ((minute + 1) * MinuteNs));

    [Fact]
    public void WhenPredictiveScalingIsForecastOnlyThenItsAdviceIsPublishedAndAMatchingReactiveCommandStillIs()
    {
        var options = new ScalingStageOptions { Cost = { Enabled = false }, AlertsEnabled = false, CapacityPerInstance = { ["api"] = 100 } };
        options.Predictive.Mode = PredictiveScalingMode.ForecastOnly;
        var commands = new List<(int Minute, JsonElement Command)>();
        int minute = 0;
        var stage = new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "scaling-commands")
            {
                commands.Add((minute, JsonDocument.Parse(value).RootElement.Clone()));
            }
        });
        var forecast = new ForecastStage(
            new StreamForecastEngine(new StreamForecastOptions { Series = [new ForecastSeriesOptions { Name = "request_rate" }], Horizon = 10, TrainSize = 60, WindowSize = 12, MaxRank = 4 }, null),
            ["p50", "p90", "p95", "p99"],
            NullLogger.Instance);
        var stages = StageLinks.Connect([stage, forecast]);
        int? critical = null;
        for (; minute < 200; minute++)
        {
            // 2 instances, never scaled (advice is not applied). CPU 50 % until two minutes after the first advice, then 95 %.
            critical ??= commands.Count > 0 ? minute + 2 : null;
            var batch = Minute(minute, 2, 120 + minute, minute >= critical ? 95 : 50);
            foreach (var s in stages)
            {
                s.OnWindows(batch);
            }
        }

        var advice = commands.Where(c => c.Command.GetProperty("advisory").GetBoolean()).ToList();
        Assert.NotEmpty(advice);
        Assert.All(advice, c => Assert.Equal("predictive", c.Command.GetProperty("trigger").GetString()));
        var acting = commands.Where(c => !c.Command.GetProperty("advisory").GetBoolean()).ToList();
        Assert.NotEmpty(acting);
        Assert.Equal("reactive", acting[0].Command.GetProperty("trigger").GetString());
        Assert.Equal(critical, acting[0].Minute); // not muted as a "repeat" of the advice to the same target
    }
}
