using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// Spend that starts mid-period (a pipeline started on the 20th) is projected at the rate it shows: the run rate rests on
/// the days observed, not on the period's days so far, and so does the forecast basis.
/// </summary>
public sealed class BudgetMidPeriodStartTests
{
    private static readonly DateOnly Start = new(2026, 3, 20);

    private static List<CostAlert> Run(BudgetMonitor monitor, int days, double perDay)
    {
        var daily = new List<DailyCost>();
        var alerts = new List<CostAlert>();
        for (int i = 0; i < days; i++)
        {
            daily.Add(new DailyCost(Start.AddDays(i), perDay));
            alerts.AddRange(monitor.Evaluate("total", Start.AddDays(i), daily));
        }

        return alerts;
    }

    [Fact]
    public void WhenSpendStartsOnThe20thThenTheRunRateProjectsTheObservedRateToTheMonthsEnd()
    {
        // 100 a day from 20 March: 12 days to the 31st make 1 200, 60 % of 2 000. Before, the first day's 100 was spread
        // over the 20 days since 1 March and projected 155 (7.75 %): no forecast alert at all.
        var monitor = new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 2000)], forecastMinDays: 1, forecastMinPeriodShare: 0);
        var forecast = Run(monitor, 1, 100).Where(a => a.Type == CostAlertType.BudgetForecast).ToList();
        var alert = Assert.Single(forecast);
        Assert.Equal((50.0, 1200.0, Start), (alert.ThresholdPercent!.Value, alert.Amount, alert.Day));
    }

    [Fact]
    public void WhenSpendStartsMidPeriodThenTheBasisCountsTheObservedDays()
    {
        // 100 a day from 20 March against 1 100 (12 days make 1 200, 109 %): the defaults want 7 days behind a forecast,
        // so nothing is forecast before the 26th, and then every level up to 100 % fires that day.
        var alerts = Run(new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 1100)]), 12, 100);
        var forecast = alerts.Where(a => a.Type == CostAlertType.BudgetForecast).ToList();
        Assert.Equal([50.0, 75, 90, 100], forecast.Select(a => a.ThresholdPercent!.Value));
        Assert.All(forecast, a => Assert.Equal(new DateOnly(2026, 3, 26), a.Day));
    }

    [Fact]
    public void WhenTheRunRateRestsOnFewerObservedDaysThanTheBasisThenItWaits()
    {
        // Three zero-cost days keep the monitor on the run rate (a fit needs 7 days of spend): from the 20th to the 25th
        // are 6 observed days, one short of the default basis, although the month is 25 days old.
        var monitor = new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 500)]);
        var daily = new List<DailyCost>();
        var alerts = new List<CostAlert>();
        for (int i = 0; i < 7; i++)
        {
            daily.Add(new DailyCost(Start.AddDays(i), i % 2 == 0 ? 100 : 0));
            alerts.AddRange(monitor.Evaluate("total", Start.AddDays(i), daily).Where(a => a.Type == CostAlertType.BudgetForecast));
            if (i < 6)
            {
                Assert.Empty(alerts);
            }
        }

        // On the 26th: 400 over 7 observed days, 57.1 a day for the 12 days to the 31st, 685.71 (137 % of 500).
        Assert.Equal([50.0, 75, 90, 100], alerts.Select(a => a.ThresholdPercent!.Value));
        Assert.All(alerts, a => Assert.Equal((new DateOnly(2026, 3, 26), 685.71), (a.Day, a.Amount)));
    }
}
