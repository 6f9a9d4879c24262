using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>Forecast budget alerts wait until the forecast rests on enough days of spend; actual-spend alerts do not.</summary>
public sealed class BudgetForecastBasisTests
{
    private static readonly DateOnly Day0 = new(2026, 3, 1);

    private static List<CostAlert> Run(BudgetMonitor monitor, int days, Func<int, double> cost, DateOnly? start = null)
    {
        var first = start ?? Day0;
        var daily = new List<DailyCost>();
        var alerts = new List<CostAlert>();
        for (int i = 0; i < days; i++)
        {
            daily.Add(new DailyCost(first.AddDays(i), cost(i)));
            alerts.AddRange(monitor.Evaluate("total", first.AddDays(i), daily));
        }

        return alerts;
    }

    [Fact]
    public void WhenAMonthStartsWithOneExpensiveDayThenNoForecastAlertFiresOnItsRunRate()
    {
        // Day one costs 400 (31 × 400 = 12 400, four times the budget), then 10 a day. Before, the run rate of that one
        // day fired the 50, 75, 90 and 100 % forecast alerts together on the month's first day.
        var alerts = Run(new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 3100)]), 10, i => i == 0 ? 400 : 10);
        Assert.DoesNotContain(alerts, a => a.Type == CostAlertType.BudgetForecast);
    }

    [Fact]
    public void WhenAnAnnualBudgetIsForecastThenItWaitsForATenthOfTheYear()
    {
        // 100 a day from 1 January is 36 500 over the year, 101 % of the budget. Before, the first day's run rate fired
        // every forecast alert on 1 January; now they wait until 37 days (≥ 36.5, a tenth of the year) of spend are known.
        var alerts = Run(new BudgetMonitor([new Budget("yearly", BudgetPeriod.Annual, 36_000)]), 40, _ => 100, new DateOnly(2026, 1, 1));
        var forecast = alerts.Where(a => a.Type == CostAlertType.BudgetForecast).ToList();
        Assert.Equal([50.0, 75, 90, 100], forecast.Select(a => a.ThresholdPercent!.Value));
        Assert.All(forecast, a => Assert.Equal(new DateOnly(2026, 2, 6), a.Day));
    }

    [Fact]
    public void WhenTheBasisIsSetToOneDayThenTheFirstDaysRunRateAlertsAsBefore()
    {
        var alerts = Run(new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 3100)], forecastMinDays: 1, forecastMinPeriodShare: 0), 3, _ => 100);
        var forecast = alerts.Where(a => a.Type == CostAlertType.BudgetForecast).ToList();
        Assert.Equal([50.0, 75, 90, 100], forecast.Select(a => a.ThresholdPercent!.Value));
        Assert.All(forecast, a => Assert.Equal(Day0, a.Day));
    }

    [Fact]
    public void WhenActualSpendCrossesAThresholdEarlyThenItAlertsWithoutWaitingForTheBasis()
    {
        // 2 000 on day one is 65 % of the budget spent: the actual-spend alert is not held back.
        var alerts = Run(new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 3100)]), 1, _ => 2000);
        var actual = Assert.Single(alerts);
        Assert.Equal((CostAlertType.BudgetActual, 50.0, Day0), (actual.Type, actual.ThresholdPercent!.Value, actual.Day));
    }

    [Theory]
    [InlineData(0, 0.1, "minimum days")]
    [InlineData(7, 1.5, "share of the period")]
    [InlineData(7, double.NaN, "share of the period")]
    public void WhenTheBasisSettingsAreOutOfRangeThenTheMonitorIsRefused(int days, double share, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new BudgetMonitor([new Budget("b", BudgetPeriod.Monthly, 10)], null, days, share));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
