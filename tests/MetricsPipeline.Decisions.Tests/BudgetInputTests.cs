using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>Budget alerts on daily costs that are not all known, and prices that are not amounts.</summary>
public sealed class BudgetInputTests
{
    private static readonly DateOnly Day0 = new(2026, 3, 1);

    [Fact]
    public void WhenOneDayCostIsNaNThenNoThresholdIsCrossedByIt()
    {
        // Before: the NaN made the spend NaN, "NaN < threshold" is false, so all eight alerts fired (emergency included)
        // with amount NaN, which cost-alert/v1 does not allow.
        // A basis of one day: the run rate of the first days is what this test looks at.
        var monitor = new BudgetMonitor([new Budget("platform", BudgetPeriod.Monthly, 3100)], forecastMinDays: 1, forecastMinPeriodShare: 0);
        var daily = new List<DailyCost> { new(Day0, 100), new(Day0.AddDays(1), double.NaN), new(Day0.AddDays(2), 100) };
        var alerts = monitor.Evaluate("total", Day0.AddDays(2), daily);
        Assert.All(alerts, a => Assert.True(double.IsFinite(a.Amount), $"{a.Type} {a.ThresholdPercent}: amount {a.Amount}"));
        Assert.DoesNotContain(alerts, a => a.Type == CostAlertType.BudgetActual);
        // The run rate of the known days (200 over 3 days → 2 067 of 3 100) crosses 50 % only.
        Assert.Equal([50.0], alerts.Where(a => a.Type == CostAlertType.BudgetForecast).Select(a => a.ThresholdPercent!.Value));
    }

    [Fact]
    public void WhenAPriceIsInfiniteThenTheTableIsRejected()
    {
        // Before: infinity passed the "non-negative" check and every spend became infinite.
        Assert.Throws<ArgumentException>(() => new PriceTable(new Dictionary<string, double> { ["m5.large"] = double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => new PriceTable(new Dictionary<string, double> { ["m5.large"] = 0.1 }, transferPerGb: double.NaN));
    }

    [Fact]
    public void WhenSpendIsAskedForNegativeInstancesOrTimeThenItFails()
    {
        // Before: -4 instances cost -48 a day, which would cancel real spend in any sum.
        var prices = new PriceTable(new Dictionary<string, double> { ["small"] = 0.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => prices.Spend("small", -4, TimeSpan.FromDays(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => prices.Spend("small", 4, TimeSpan.FromDays(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => prices.Spend("small", double.NaN, TimeSpan.FromDays(1)));
        Assert.Equal(48, prices.Spend("small", 4, TimeSpan.FromDays(1)), 9);
    }
}
