using System.Text.Json;
using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Cost;
using MetricsPipeline.Ingest.LineProtocol;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class CostEngineTests
{
    private static readonly DateOnly Day0 = new(2026, 1, 1);

    private static List<DailyCost> Series(int days, Func<int, double> cost, int seed, double noise)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(i =>
        {
            // Lognormal-ish day noise: exp(noise × standard normal).
            double z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return new DailyCost(Day0.AddDays(i), cost(i) * Math.Exp(noise * z), cost(i) / 10);
        }).ToList();
    }

    [Theory]
    [InlineData("exponential")]
    [InlineData("linear")]
    [InlineData("flat")]
    public void WhenGrowthIsSteadyThenThreeMonthProjectionsAreWithinTenPercent(string shape)
    {
        // 90 days of history with 5 % day-to-day noise, projected 90 days ahead, over 40 generated series.
        Func<int, double> cost = shape switch
        {
            "exponential" => i => 100 * Math.Pow(1.005, i), // +0.5 %/day
            "linear" => i => 100 + (0.8 * i),
            _ => _ => 100,
        };
        var errors = new List<double>();
        int covered = 0;
        for (int seed = 100; seed < 140; seed++)
        {
            var all = Series(180, cost, seed, noise: 0.05);
            double actual = all.Skip(90).Sum(d => d.Cost);
            var projection = CostProjector.Project(all.Take(90).ToList(), Day0.AddDays(90), Day0.AddDays(179));
            errors.Add(Math.Abs(projection.Cost - actual) / actual);
            covered += actual >= projection.Lower && actual <= projection.Upper ? 1 : 0;
            Assert.InRange(projection.Confidence, 0, 1);
        }

        errors.Sort();
        double mean = errors.Average();
        double p90 = errors[35];
        Assert.True(mean <= 0.05 && p90 <= 0.10, $"{shape}: mean error {mean:P1}, 90th percentile {p90:P1}, worst {errors[^1]:P1}");
        Assert.True(covered >= 30, $"{shape}: the bounds cover the actual spend in {covered} of 40 series");
    }

    [Fact]
    public void WhenTheNextQuarterIsProjectedThenItCoversTheCalendarQuarter()
    {
        var history = Series(60, i => 100, 1, 0.05);
        var projection = CostProjector.ProjectNext(history, BudgetPeriod.Quarterly, Day0.AddDays(59));
        Assert.Equal(new DateOnly(2026, 4, 1), projection.From);
        Assert.Equal(new DateOnly(2026, 6, 30), projection.To);
        Assert.InRange(projection.Cost, 91 * 100 * 0.9, 91 * 100 * 1.1);
    }

    [Fact]
    public void WhenSpendCrossesBudgetThresholdsThenEachAlertIsSentOncePerPeriod()
    {
        var monitor = new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 3100)]);
        var daily = new List<DailyCost>();
        var alerts = new List<CostAlert>();
        for (int i = 0; i < 31; i++)
        {
            daily.Add(new DailyCost(Day0.AddDays(i), 100));
            alerts.AddRange(monitor.Evaluate("total", Day0.AddDays(i), daily));
        }

        var actual = alerts.Where(a => a.Type == CostAlertType.BudgetActual).ToList();
        Assert.Equal([50.0, 75, 90, 100], actual.Select(a => a.ThresholdPercent!.Value));
        Assert.Equal([Day0.AddDays(15), Day0.AddDays(23), Day0.AddDays(27), Day0.AddDays(30)], actual.Select(a => a.Day));
        Assert.Equal(AlertSeverity.Emergency, actual[^1].Severity);
        var forecast = alerts.Where(a => a.Type == CostAlertType.BudgetForecast).ToList();
        Assert.Equal([50.0, 75, 90, 100], forecast.Select(a => a.ThresholdPercent!.Value));
        // 100/day × 31 days = the budget; the forecast needs a week of spend behind it (before, it fired on day one).
        Assert.All(forecast, a => Assert.Equal(Day0.AddDays(6), a.Day));
        Assert.Empty(monitor.Evaluate("other-service", Day0.AddDays(30), daily));
    }

    [Fact]
    public void WhenADayCostsMoreThan150PercentOfItsWeeklyAverageThenItIsAnAnomaly()
    {
        var detector = new CostAnomalyDetector();
        var daily = Enumerable.Range(0, 7).Select(i => new DailyCost(Day0.AddDays(i), 100, 10)).ToList();
        daily.Add(new DailyCost(Day0.AddDays(7), 149, 19));
        Assert.Empty(detector.Evaluate("api", Day0.AddDays(7), daily));
        daily[7] = new DailyCost(Day0.AddDays(7), 151, 21);
        var alerts = detector.Evaluate("api", Day0.AddDays(7), daily);
        Assert.Equal([CostAlertType.CostAnomaly, CostAlertType.UsageSpike], alerts.Select(a => a.Type));
        Assert.Empty(detector.Evaluate("api", Day0.AddDays(3), daily)); // not enough history
    }

    [Fact]
    public void WhenAResourceIsUnderThirtyPercentThenTheRecommendationCarriesTheSaving()
    {
        var prices = new PriceTable(new Dictionary<string, double> { ["m5.large"] = 0.096 });
        var alerts = new UtilizationRecommender(prices).Recommend(
            [new ResourceUsage("api", "m5.large", 10, 20), new ResourceUsage("search", "m5.large", 10, 45)], Day0);
        var alert = Assert.Single(alerts);
        Assert.Equal("api", alert.Scope);
        Assert.Equal(Math.Round(6 * 0.096 * 730.5, 2), alert.Amount); // 10 → ceil(10 × 20 / 60) = 4
        Assert.Contains("4 would run", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenThePriceTableIsUsedThenSpendAddsInstancesStorageAndTransfer()
    {
        var prices = new PriceTable(new Dictionary<string, double> { ["small"] = 0.5 }, storagePerGbMonth: 0.1, transferPerGb: 0.09);
        Assert.Equal((0.5 * 4 * 24) + (0.1 * 100 * 24 / 730.5) + (0.09 * 10), prices.Spend("small", 4, TimeSpan.FromDays(1), 100, 10), 9);
        Assert.Throws<KeyNotFoundException>(() => prices.Hourly("large"));
    }

    [Fact]
    public void WhenCostAlertsAreSerialisedThenTheyValidateAgainstTheSchema()
    {
        var daily = Series(40, i => 100 + i, 3, 0.05);
        daily[^1] = daily[^1] with { Cost = 1000, Usage = 100 };
        var alerts = new List<CostAlert>();
        alerts.AddRange(new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 1000)]).Evaluate("total", daily[^1].Day, daily));
        alerts.AddRange(new CostAnomalyDetector().Evaluate("total", daily[^1].Day, daily));
        alerts.AddRange(new UtilizationRecommender(new PriceTable(new Dictionary<string, double> { ["t"] = 1 })).Recommend([new ResourceUsage("api", "t", 5, 10)], Day0));
        Assert.Equal(
            [CostAlertType.BudgetActual, CostAlertType.BudgetForecast, CostAlertType.CostAnomaly, CostAlertType.UsageSpike, CostAlertType.Recommendation],
            alerts.Select(a => a.Type).Distinct());
        foreach (var alert in alerts)
        {
            RepositoryFiles.AssertValid("cost-alert.v1.schema.json", JsonSerializer.Serialize(alert, DecisionJson.Options));
        }
    }

    [Fact]
    public void WhenACostSeriesIsWrittenThenItIsLineProtocol()
    {
        string line = LineProtocolWriter.ToLine(CostPoints.ToPoint("api", new DailyCost(new DateOnly(2026, 1, 2), 12.5, 3)));
        Assert.Equal("cost,scope=api daily_cost=12.5,usage=3 1767312000000000000", line.TrimEnd());
    }
}
