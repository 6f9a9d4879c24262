using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

public sealed class CostProjectionInputTests
{
    [Fact]
    public void WhenTheHistoryHasTwoEntriesOfOneDayOnlyThenTheProjectionFailsAsForOneDay()
    {
        // Two parts of one day's spend are one day: no growth rate can be fitted from it. Before, the fit ran on two
        // equal x values and the projection came back as NaN.
        var day = new DateOnly(2026, 3, 10);
        var e = Assert.Throws<ArgumentException>(() => CostProjector.Project([new DailyCost(day, 10), new DailyCost(day, 12)], day.AddDays(1), day.AddDays(10)));
        Assert.Contains("two whole days", e.Message, StringComparison.Ordinal);
    }
}
