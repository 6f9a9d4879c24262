using System.Text.Json;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A stream that starts at 18:00: its first day is partial. Its spend counts in the budget's spend to date, and it is no
/// baseline, so a steady cost raises no anomaly on any day.
/// </summary>
public sealed class StreamCostPartialDayTests
{
    /// <summary>Hourly windows (billed a minute each) of 2 api instances at 0.5 an hour from 1 March 18:00: 0.1 on the first day, then 0.4 a day.</summary>
    private static List<JsonElement> CostAlerts(ScalingStageOptions options, int days)
    {
        var alerts = new List<JsonElement>();
        var stage = new ScalingStage(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "cost-alerts")
            {
                alerts.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        for (int minute = 18 * 60; minute < days * 1440; minute += 60)
        {
            var windows = Enumerable.Range(0, 2).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
                [Stat("request_rate", 50), Stat("cpu_percent", 50), Stat("memory_percent", 45), Stat("instances", 2)]));
            stage.OnWindows(new AggregateBatch([.. windows], [], T0 + ((minute + 1) * MinuteNs)));
        }

        return alerts;
    }

    private static ScalingStageOptions Options() => new() { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 };

    [Fact]
    public void WhenTheStreamStartsAt18ThenASteadyCostRaisesNoAnomaly()
    {
        var alerts = CostAlerts(Options(), 20);
        Assert.DoesNotContain(alerts, a => a.GetProperty("type").GetString() is "cost_anomaly" or "usage_spike");
    }

    [Fact]
    public void WhenTheStreamStartsAt18ThenTheFirstEveningsSpendCountsInSpendToDate()
    {
        // Budget 2.5: its 50 % line (1.25) is crossed on 4 March with 0.1 + 3 × 0.4 = 1.3. Before, the first evening's 0.1
        // was left out of spend to date, and the alert came on 5 March saying 1.6.
        var options = Options();
        options.Cost.Budgets.Add(new Budget("fleet", BudgetPeriod.Monthly, 2.5));
        var actual = CostAlerts(options, 8).Where(a => a.GetProperty("type").GetString() == "budget_actual" && a.GetProperty("scope").GetString() == "total").ToList();
        var first = actual[0];
        Assert.Equal((50.0, "2026-03-04", 1.3), (first.GetProperty("threshold_percent").GetDouble(), first.GetProperty("day").GetString(), first.GetProperty("amount").GetDouble()));
    }
}
