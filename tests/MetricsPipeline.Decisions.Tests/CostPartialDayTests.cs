using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>
/// A day observed only in part (a stream started at 18:00) is spend, not a baseline: the anomaly detector, the budget
/// run rate and the projections leave it out; spend to date counts it. The detector's week is seven days, not seven entries.
/// </summary>
public sealed class CostPartialDayTests
{
    private static readonly DateOnly Day1 = new(2026, 3, 10);

    /// <summary>100 a day from day 2 on; day 1 from 18:00 only (25) and marked partial.</summary>
    private static List<DailyCost> SteadyFrom18(int days, double usage = 1000) =>
        [new(Day1, 25, usage / 4) { Partial = true }, .. Enumerable.Range(1, days - 1).Select(i => new DailyCost(Day1.AddDays(i), 100, usage))];

    [Fact]
    public void WhenAStreamStartsAt18ThenASteadyCostRaisesNoAnomalyOnAnyDay()
    {
        var detector = new CostAnomalyDetector();
        var daily = SteadyFrom18(20);
        Assert.All(daily, d => Assert.Empty(detector.Evaluate("total", d.Day, daily)));
    }

    [Fact]
    public void WhenThePartialDayIsInTheWeekThenItDragsNoAverageDown()
    {
        // A start at 23:00 (1/24 of 100) and a day 8 at 140: against the seven days before it, partial one included, the
        // average is 86 and 140 looks like 162 %. Without the partial day there is no week of whole days yet.
        var daily = SteadyFrom18(8);
        daily[0] = new DailyCost(Day1, 100.0 / 24, 250) { Partial = true };
        daily[7] = new DailyCost(Day1.AddDays(7), 140, 1000);
        Assert.Empty(new CostAnomalyDetector().Evaluate("total", Day1.AddDays(7), daily));

        // A day later the week is whole (days 2–8, mean 105.7), and day 9 at 170 (161 %) is an anomaly.
        daily.Add(new DailyCost(Day1.AddDays(8), 170, 1000));
        var alert = Assert.Single(new CostAnomalyDetector().Evaluate("total", Day1.AddDays(8), daily));
        Assert.Equal((CostAlertType.CostAnomaly, 105.7143), (alert.Type, alert.Reference));
    }

    [Fact]
    public void WhenThePartialDayIsTheOneEvaluatedThenItIsNotTested()
    {
        // Seven whole days of 10, then the stream restarts fresh and its partial day reads 40 (its scope's first day).
        var daily = Enumerable.Range(0, 7).Select(i => new DailyCost(Day1.AddDays(i), 10, 100)).ToList();
        daily.Add(new DailyCost(Day1.AddDays(7), 40, 400) { Partial = true });
        Assert.Empty(new CostAnomalyDetector().Evaluate("total", Day1.AddDays(7), daily));
        daily[7] = daily[7] with { Partial = false };
        Assert.Equal(2, new CostAnomalyDetector().Evaluate("total", Day1.AddDays(7), daily).Count);
    }

    [Fact]
    public void WhenEachDayHasTwoEntriesThenTheWeekNeedsSevenDaysNotSevenEntries()
    {
        // Two services' entries a day since a stream started four days ago, 50 each: 100 a day, steady. Before, the 8
        // entries passed for a week, their 400 over 7 days made an average of 57, and day 5 (100) was a 175 % anomaly.
        var daily = Enumerable.Range(0, 5).SelectMany(i => new[] { new DailyCost(Day1.AddDays(i), 50, 500), new DailyCost(Day1.AddDays(i), 50, 500) }).ToList();
        Assert.Empty(new CostAnomalyDetector().Evaluate("total", Day1.AddDays(4), daily));

        // With the week whole, the same shape is judged on its day totals: steady is quiet, a doubled day is flagged.
        var week = Enumerable.Range(0, 8).SelectMany(i => new[] { new DailyCost(Day1.AddDays(i), 50, 500), new DailyCost(Day1.AddDays(i), i == 7 ? 150 : 50, 500) }).ToList();
        var alert = Assert.Single(new CostAnomalyDetector().Evaluate("total", Day1.AddDays(7), week));
        Assert.Equal((200.0, 100.0), (alert.Amount, alert.Reference));
    }

    [Fact]
    public void WhenTheFirstDayIsPartialThenSpendToDateCountsItAndTheRunRateDoesNot()
    {
        // 25 on 10 March from 18:00, then 100 a day. On 12 March: spent 225; the run rate is 100 a day over the 2 whole
        // days, so March ends at 225 + 19 × 100 = 2 125. Counting the partial day as a day would give 225 / 3 × 22 = 1 650.
        var monitor = new BudgetMonitor([new Budget("fleet", BudgetPeriod.Monthly, 2000)], forecastMinDays: 1, forecastMinPeriodShare: 0);
        var daily = SteadyFrom18(3);
        var alerts = monitor.Evaluate("total", Day1.AddDays(2), daily);
        var forecast = alerts.Where(a => a.Type == CostAlertType.BudgetForecast).ToList();
        Assert.Equal([50.0, 75, 90, 100], forecast.Select(a => a.ThresholdPercent!.Value));
        Assert.All(forecast, a => Assert.Equal(2125, a.Amount));
        Assert.DoesNotContain(alerts, a => a.Type == CostAlertType.BudgetActual); // 225 is 11 %

        // Spend to date includes the partial day: with a budget of 2 020 its 50 % line (1 010) is crossed on 20 March with
        // 25 + 10 × 100 = 1 025; the whole days alone would cross it a day later.
        var actual = new BudgetMonitor([new Budget("fleet", BudgetPeriod.Monthly, 2020)]);
        var crossed = Enumerable.Range(1, 12).SelectMany(n => actual.Evaluate("total", Day1.AddDays(n - 1), SteadyFrom18(n)))
            .Where(a => a.Type == CostAlertType.BudgetActual).ToList();
        Assert.Equal((Day1.AddDays(10), 50.0, 1025.0), (Assert.Single(crossed).Day, crossed[0].ThresholdPercent!.Value, crossed[0].Amount));
    }

    [Fact]
    public void WhenTheFirstDayIsPartialThenTheProjectionFitsOnlyWholeDays()
    {
        var steady = CostProjector.Project(SteadyFrom18(15), Day1.AddDays(15), Day1.AddDays(44));
        Assert.Equal(3000, steady.Cost, 3);
        var ex = Assert.Throws<ArgumentException>(() => CostProjector.Project(SteadyFrom18(2), Day1.AddDays(2), Day1.AddDays(10)));
        Assert.Contains("two whole days", ex.Message, StringComparison.Ordinal);
    }
}
