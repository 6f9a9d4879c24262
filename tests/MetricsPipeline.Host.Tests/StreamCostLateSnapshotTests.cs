using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using MetricsPipeline.Ingest.Model;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A window of a day that has already closed arrives after the next day began (a lagging instance, a backfill): its
/// spend is real, so the closed day's total is corrected and its daily <c>cost</c> point written again at the same
/// timestamp, which InfluxDB overwrites.
/// </summary>
public sealed class StreamCostLateSnapshotTests
{
    private const double WindowCost = 2 * 0.5 / 60; // 2 instances at 0.5 an hour, billed one minute

    private static AggregateBatch Hour(int minute, long closedThroughNs) =>
        new([.. Enumerable.Range(0, 2).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 50), Stat("cpu_percent", 50), Stat("memory_percent", 45), Stat("instances", 2)]))], [], closedThroughNs);

    private static List<MetricPoint> Daily(IEnumerable<MetricPoint> points, string scope) =>
        [.. points.Where(p => p.Measurement == "cost" && p.GetField("daily_cost") is not null && p.GetTag("scope") == scope)];

    [Fact]
    public void WhenAWindowOfAClosedDayArrivesLateThenTheDaysCostPointIsWrittenAgainWithTheCorrectedTotal()
    {
        var stage = new ScalingStage(new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 }, new PipelineSettings(), (_, _, _) => { });
        var points = new List<MetricPoint>();
        for (int hour = 0; hour < 25; hour++)
        {
            if (hour != 12)
            {
                points.AddRange(stage.OnWindows(Hour(hour * 60, T0 + (((hour * 60) + 1) * MinuteNs))));
            }
        }

        // 1 March closed with 23 of its 24 windows.
        var closed = Daily(points, "api");
        Assert.Single(closed);
        Assert.Equal(23 * WindowCost, closed[0].GetField("daily_cost")!.Value.AsDouble, 9);

        // Its 12:00 window comes now. Before: added to the day silently, the written 1 March point kept 23 windows.
        var late = stage.OnWindows(Hour(12 * 60, T0 + (((24 * 60) + 2) * MinuteNs))).ToList();
        foreach (var scope in new[] { "api", "total" })
        {
            var corrected = Assert.Single(Daily(late, scope));
            Assert.Equal(closed[0].TimestampNs, corrected.TimestampNs);
            Assert.Equal(24 * WindowCost, corrected.GetField("daily_cost")!.Value.AsDouble, 9);
        }
    }

    [Fact]
    public void WhenAWindowOfADayBeforeTheStreamStartedArrivesLateThenThatDayIsNoBaseline()
    {
        // The stream starts on 1 March 00:00; one window of 28 February comes in late. That day was seen in part only
        // (one window of 24): it is spend, but like a partial first day no baseline. Before, it was a whole day of
        // one 24th of the cost in the projector's fit, which read a steady fleet as growing.
        var stage = new ScalingStage(new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 }, new PipelineSettings(), (_, _, _) => { });
        var points = new List<MetricPoint>();
        for (int hour = 0; hour < 10 * 24; hour++)
        {
            points.AddRange(stage.OnWindows(Hour(hour * 60, T0 + (((hour * 60) + 1) * MinuteNs))));
            if (hour == 1)
            {
                points.AddRange(stage.OnWindows(Hour(-60, T0 + ((60 + 2) * MinuteNs))));
            }
        }

        var growth = points.Where(p => p.GetTag("horizon") == "monthly" && p.GetTag("scope") == "api").Select(p => p.GetField("daily_growth_rate")!.Value.AsDouble).ToList();
        Assert.NotEmpty(growth);
        Assert.All(growth, g => Assert.Equal(0, g, 9));
    }
}
