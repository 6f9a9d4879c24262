using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A late window that corrects a closed day also re-runs that day's cost-anomaly test on the corrected total: a day that
/// the correction takes over 150 % of its 7-day average raises its <c>cost_anomaly</c> then, and a day already alerted
/// is not alerted again (a correction only adds spend, so an alerted day stays anomalous).
/// </summary>
public sealed class StreamCostLateAnomalyTests
{
    private static AggregateBatch Hour(int minute, int instances, long closedThroughNs) =>
        new([.. Enumerable.Range(0, 2).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 50), Stat("cpu_percent", 50), Stat("memory_percent", 45), Stat("instances", instances)]))], [], closedThroughNs);

    /// <summary>Eight days of hourly windows at 2 instances (0.4 a day at 0.5 an hour, each window billed a minute), then day 9 with <paramref name="instancesOnDay9"/> and without its 12:00 window, then 10 March 00:00.</summary>
    private static (ScalingStage Stage, List<JsonElement> Alerts) NineDays(int instancesOnDay9)
    {
        var alerts = new List<JsonElement>();
        var stage = new ScalingStage(new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 }, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "cost-alerts")
            {
                alerts.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        for (int hour = 0; hour <= 9 * 24; hour++)
        {
            if (hour != (8 * 24) + 12)
            {
                int minute = hour * 60;
                stage.OnWindows(Hour(minute, hour / 24 == 8 ? instancesOnDay9 : 2, T0 + ((minute + 1) * MinuteNs)));
            }
        }

        return (stage, alerts);
    }

    private static List<JsonElement> Anomalies(List<JsonElement> alerts, string scope) =>
        [.. alerts.Where(a => a.GetProperty("type").GetString() == "cost_anomaly" && a.GetProperty("scope").GetString() == scope)];

    private static readonly long Late = T0 + (((9 * 24 * 60) + 2) * MinuteNs);

    [Fact]
    public void WhenALateWindowTakesAClosedDayOverItsAverageThenTheDaysCostAnomalyIsRaised()
    {
        var (stage, alerts) = NineDays(2);
        Assert.Empty(Anomalies(alerts, "api"));

        // 9 March's 12:00 window comes late, billing 60 instances: the day is 23 × 1/60 + 60 × 1/120 = 0.88 against an
        // average of 0.4. Before: the daily point was corrected, but no alert.
        stage.OnWindows(Hour((8 * 24 * 60) + (12 * 60), 60, Late));
        foreach (var scope in new[] { "api", "total" })
        {
            var anomaly = Assert.Single(Anomalies(alerts, scope));
            Assert.Equal("2026-03-09", anomaly.GetProperty("day").GetString());
            Assert.Equal(0.8833, anomaly.GetProperty("amount").GetDouble(), 4);
        }
    }

    [Fact]
    public void WhenALateWindowCorrectsADayAlreadyAlertedThenNoSecondAlertIsSent()
    {
        var (stage, alerts) = NineDays(6);
        var first = Assert.Single(Anomalies(alerts, "api"));
        Assert.Equal("2026-03-09", first.GetProperty("day").GetString());

        stage.OnWindows(Hour((8 * 24 * 60) + (12 * 60), 6, Late));
        stage.OnWindows(Hour((8 * 24 * 60) + (13 * 60), 6, Late + MinuteNs));
        Assert.Single(Anomalies(alerts, "api"));
        Assert.Single(Anomalies(alerts, "total"));
    }
}
