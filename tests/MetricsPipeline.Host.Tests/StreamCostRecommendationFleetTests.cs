using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The day's recommendation describes the fleet the day paid for: its mean instance count and the instance-weighted
/// mean CPU (<c>ResourceUsage</c>: "mean instance count"). Before, the day's mean CPU was paired with the count of its
/// last window, so a service scaled in for the evening was judged as if it had run its evening count all day.
/// </summary>
public sealed class StreamCostRecommendationFleetTests
{
    private static AggregateBatch Hour(int minute, int instances, double cpu) =>
        new([.. Enumerable.Range(0, 2).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 50), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", instances)]))], [], T0 + ((minute + 1) * MinuteNs));

    [Fact]
    public void WhenTheFleetWasScaledInForTheEveningThenTheRecommendationIsForTheDaysMeanFleet()
    {
        var alerts = new List<JsonElement>();
        var stage = new ScalingStage(new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 }, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "cost-alerts")
            {
                alerts.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });

        // 16 hours at 10 instances and 24 % CPU, then 8 at 2 instances and 12 %; the next day's first window closes it.
        for (int hour = 0; hour <= 24; hour++)
        {
            stage.OnWindows(Hour(hour * 60, hour < 16 || hour == 24 ? 10 : 2, hour < 16 || hour == 24 ? 24 : 12));
        }

        // Mean fleet (16 × 10 + 8 × 2) / 24 = 7.33 → 7 instances; weighted CPU (160 × 24 + 16 × 12) / 176 = 22.9 %;
        // 3 would run at 60 %: 4 fewer, 4 × 0.5 × 730.5 = 1461 a month. Before: "runs 2 × default at 20 %", saving 365.25.
        var recommendation = Assert.Single(alerts, a => a.GetProperty("type").GetString() == "recommendation" && a.GetProperty("scope").GetString() == "api");
        Assert.Equal(7, recommendation.GetProperty("reference").GetDouble());
        Assert.Equal(1461, recommendation.GetProperty("amount").GetDouble(), 2);
        Assert.Contains("runs 7 × default at 22.9%", recommendation.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }
}
