using System.Text.Json;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Xunit;
using static MetricsPipeline.Host.Tests.StageWindows;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The pace of the stream's cost alerts: forecast budget alerts wait for a basis of known spend, and a right-sizing
/// recommendation is re-issued only when it changes materially or after the re-notify interval.
/// </summary>
public sealed class StreamCostAlertPacingTests
{
    private static AggregateBatch Minute(int minute, int instances, double cpu) =>
        new([.. Enumerable.Range(0, instances).Select(i => new WindowResult(
            i,
            "service",
            [new("instance", $"api-{i}"), new("service", "api")],
            TimeSpan.FromMinutes(1),
            T0 + (minute * MinuteNs),
            [Stat("request_rate", 100.0 / instances), Stat("cpu_percent", cpu), Stat("memory_percent", 45), Stat("instances", instances)]))],
            [], T0 + ((minute + 1) * MinuteNs));

    /// <summary>Runs <paramref name="days"/> days of hourly windows (billed a minute each) and returns the cost alerts.</summary>
    private static List<JsonElement> CostAlerts(ScalingStageOptions options, int days, Func<int, int> instances, Func<int, double> cpu, int restartAfterDay = -1)
    {
        var alerts = new List<JsonElement>();
        ScalingStage Create() => new(options, new PipelineSettings(), (topic, _, value) =>
        {
            if (topic == "cost-alerts")
            {
                alerts.Add(JsonDocument.Parse(value).RootElement.Clone());
            }
        });
        var stage = Create();
        for (int day = 0; day < days; day++)
        {
            if (day == restartAfterDay)
            {
                var restarted = Create();
                restarted.RestoreState(stage.SaveState());
                stage = restarted;
            }

            for (int m = 0; m < 1440; m += 60)
            {
                stage.OnWindows(Minute((day * 1440) + m, instances(day), cpu(day)));
            }
        }

        return alerts;
    }

    private static ScalingStageOptions Options() => new() { PredictiveEnabled = false, AlertsEnabled = false, PricePerInstanceHour = 0.5 };

    private static List<string?> Days(List<JsonElement> alerts, string type, string scope) =>
        [.. alerts.Where(a => a.GetProperty("type").GetString() == type && a.GetProperty("scope").GetString() == scope).Select(a => a.GetProperty("day").GetString())];

    [Fact]
    public void WhenAMonthlyBudgetIsForecastFromTheFirstDayThenTheForecastAlertsWaitForAWeekOfSpend()
    {
        // 2 instances: 0.4 a day (24 windows of a minute at 0.5 an hour), 12.4 over March: 103 % of 12. Before, the first
        // day's run rate fired all four forecast alerts on 1 March.
        var options = Options();
        options.Cost.Budgets.Add(new Budget("fleet", BudgetPeriod.Monthly, 12));
        var alerts = CostAlerts(options, 9, _ => 2, _ => 50);

        var forecast = alerts.Where(a => a.GetProperty("type").GetString() == "budget_forecast" && a.GetProperty("scope").GetString() == "total").ToList();
        Assert.Equal([50.0, 75, 90, 100], forecast.Select(a => a.GetProperty("threshold_percent").GetDouble()).Order());
        Assert.All(forecast, a => Assert.Equal("2026-03-07", a.GetProperty("day").GetString()));
    }

    [Fact]
    public void WhenAServiceStaysUnderUtilisedThenTheSameRecommendationIsNotRepeatedDaily()
    {
        // 3 instances at 10 % CPU every day: before, the same recommendation went out at every day's close.
        var alerts = CostAlerts(Options(), 10, _ => 3, _ => 10);
        Assert.Equal(["2026-03-01", "2026-03-08"], Days(alerts, "recommendation", "api"));
    }

    [Fact]
    public void WhenTheRecommendationChangesMateriallyThenItIsReissuedAtOnce()
    {
        // Days 0–2: 3 instances at 10 % (save 2 of 3). From day 3: 6 instances at 10 % (save 5 of 6), a new recommendation.
        // CPU at 11 % on day 1 leaves the recommendation as it was (3 → 1 either way).
        var alerts = CostAlerts(Options(), 6, day => day < 3 ? 3 : 6, day => day == 1 ? 11 : 10);
        Assert.Equal(["2026-03-01", "2026-03-04"], Days(alerts, "recommendation", "api"));
    }

    [Fact]
    public void WhenTheForecastBasisAndRecommendationPaceAreConfiguredThenTheStreamFollowsThem()
    {
        var options = Options();
        options.Cost.Budgets.Add(new Budget("fleet", BudgetPeriod.Monthly, 12));
        options.Cost.ForecastMinDays = 1;
        options.Cost.ForecastMinPeriodShare = 0;
        options.Cost.RecommendationRenotifyInterval = TimeSpan.FromDays(2);
        var alerts = CostAlerts(options, 6, _ => 3, _ => 10);

        var forecast = alerts.Where(a => a.GetProperty("type").GetString() == "budget_forecast" && a.GetProperty("scope").GetString() == "total").ToList();
        Assert.All(forecast, a => Assert.Equal("2026-03-01", a.GetProperty("day").GetString()));
        Assert.Equal(4, forecast.Count);
        Assert.Equal(["2026-03-01", "2026-03-03", "2026-03-05"], Days(alerts, "recommendation", "api"));
    }

    [Fact]
    public void WhenTheStageRestartsFromItsCheckpointThenTheLastRecommendationIsRemembered()
    {
        var alerts = CostAlerts(Options(), 10, _ => 3, _ => 10, restartAfterDay: 4);
        Assert.Equal(["2026-03-01", "2026-03-08"], Days(alerts, "recommendation", "api"));
    }

    [Theory]
    [InlineData("ForecastMinDays")]
    [InlineData("ForecastMinPeriodShare")]
    [InlineData("RecommendationMinChange")]
    [InlineData("RecommendationRenotifyInterval")]
    public void WhenACostPacingSettingIsOutOfRangeThenTheStageRefusesToStartNamingIt(string setting)
    {
        var options = Options();
        _ = setting switch
        {
            "ForecastMinDays" => options.Cost.ForecastMinDays = 0,
            "ForecastMinPeriodShare" => options.Cost.ForecastMinPeriodShare = 2,
            "RecommendationMinChange" => options.Cost.RecommendationMinChange = -1,
            _ => (options.Cost.RecommendationRenotifyInterval = TimeSpan.Zero).Days,
        };
        var e = Assert.Throws<ArgumentException>(() => new ScalingStage(options, new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains("Analytics:Cost:" + setting, e.Message, StringComparison.Ordinal);
    }
}
