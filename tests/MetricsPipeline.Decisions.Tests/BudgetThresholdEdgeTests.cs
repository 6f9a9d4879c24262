using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class BudgetThresholdEdgeTests
{
    [Fact]
    public void WhenSpendToDateIsExactlyHalfTheBudgetThenThe50PercentAlertIsSent()
    {
        // Ten days of 0.10 against 2.00 is exactly 50 %; in doubles the sum is 0.9999999999999999 (49.99999999999999 %),
        // and before, the 50 % alert was not sent.
        var start = new DateOnly(2026, 3, 1);
        var daily = Enumerable.Range(0, 10).Select(i => new DailyCost(start.AddDays(i), 0.1)).ToList();
        var monitor = new BudgetMonitor([new Budget("small", BudgetPeriod.Monthly, 2.0)]);
        var alerts = monitor.Evaluate("total", start.AddDays(9), daily);
        Assert.Contains(alerts, a => a.Type == CostAlertType.BudgetActual && a.ThresholdPercent == 50);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0)]
    [InlineData(-50)]
    [InlineData(double.PositiveInfinity)]
    public void WhenAnAlertThresholdIsNotAPositiveNumberThenTheMonitorRefusesIt(double threshold)
    {
        // Before: accepted; NaN never alerted (percent >= NaN is false), 0 and below alerted on the first cent, silently.
        var e = Assert.Throws<ArgumentException>(() => new BudgetMonitor([new Budget("b", BudgetPeriod.Monthly, 100)], [50, threshold]));
        Assert.Contains("threshold", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
