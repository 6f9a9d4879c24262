using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// A late window of a period that has already ended (the last day of a month arriving after the next month began) can
/// take that period's spend over a budget threshold: the crossing is alerted, for the ended period, once.
/// </summary>
public sealed class StreamCostLateWindowBudgetTests
{
    // The service scope "api" has no budget of its own (its automatic one is not what these tests watch): the "total"
    // scope's alerts are read.

    // Two instance windows of service "api" reporting `instances`, billed a minute each at 0.5 an hour.
    private static AggregateBatch Window(int minute, int instances) =>
        new([.. Enumerable.Range(0, 2).Select(i => new WindowResult(i, "service", [new("instance", $"api-{i}"), new("service", "api")], TimeSpan.FromMinutes(1), T0 + (minute * MinuteNs),
            [Stat("request_rate", 50), Stat("cpu_percent", 50), Stat("memory_percent", 45), Stat("instances", instances)]))], [], T0 + ((minute + 1) * MinuteNs));

    private static List<JsonElement> Run(double budget, bool restartBeforeTheLateWindow = false)
    {
        var alerts = new List<JsonElement>();
        var options = new ScalingStageOptions { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 };
        options.Cost.Budgets.Add(new Budget("fleet", BudgetPeriod.Monthly, budget));
        ScalingStage Create() => new(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "cost-alerts")
            {
                alerts.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        var stage = Create();
        // March (31 days) of hourly windows at 10 instances: 10 × 0.5 / 60 a window, 2 a day, 62 for the month; then
        // the first window of 1 April closes 31 March.
        for (int minute = 0; minute <= 31 * 1440; minute += 60)
        {
            stage.OnWindows(Window(minute, 10));
        }

        if (restartBeforeTheLateWindow)
        {
            var restarted = Create();
            restarted.RestoreState(stage.SaveState());
            stage = restarted;
        }

        // A late window of 31 March 23:50 at 120 instances: 1 more, 63 for March.
        stage.OnWindows(Window((31 * 1440) - 10, 120));
        stage.OnWindows(Window((31 * 1440) + 60, 10));
        return alerts;
    }

    private static List<double> MarchActual(List<JsonElement> alerts) =>
        [.. alerts.Where(a => a.GetProperty("type").GetString() == "budget_actual" && a.GetProperty("scope").GetString() == "total" && a.GetProperty("period_start").GetString() == "2026-03-01")
            .Select(a => a.GetProperty("threshold_percent").GetDouble())];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WhenALateWindowTakesAnEndedMonthOverItsBudgetThenTheCrossingIsAlerted(bool restart)
    {
        // 62 of 62.5 (99.2 %) when March closed; the late window makes it 63 (100.8 %). Before: no 100 % alert, ever.
        var alerts = Run(62.5, restart);
        Assert.Equal([50.0, 75, 90, 100], MarchActual(alerts).Order());
        var crossing = Assert.Single(alerts, a => a.GetProperty("type").GetString() == "budget_actual" && a.GetProperty("scope").GetString() == "total" && a.GetProperty("threshold_percent").GetDouble() == 100);
        Assert.Equal(63, crossing.GetProperty("amount").GetDouble(), 6);
        Assert.Equal("2026-03-31", crossing.GetProperty("day").GetString());
    }

    [Fact]
    public void WhenALateWindowOfAnEndedMonthCrossesNothingNewThenNoAlertIsSentAgain()
    {
        // 62 of 50 (124 %) at the close: every threshold was sent then; the late window sends none again.
        var alerts = Run(50);
        Assert.Equal([50.0, 75, 90, 100], MarchActual(alerts).Order());
    }
}
