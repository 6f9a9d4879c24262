using MetricsPipeline.Decisions.Cost;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary>The projection's confidence (the fit's R²) for spend the fit describes exactly.</summary>
public sealed class CostProjectionConfidenceTests
{
    private static readonly DateOnly Day0 = new(2026, 1, 1);

    [Theory]
    [InlineData(5)]
    [InlineData(30)]
    public void WhenEveryDayCostsTheSameThenTheProjectionIsExactAndItsConfidenceIsOne(int days)
    {
        // A fixed fleet (10 instances all day) costs the same every day. R² is 0/0 there (no variance to explain), and it
        // came out as confidence 0: the most predictable spend was reported as the least trustworthy projection.
        var history = Enumerable.Range(0, days).Select(i => new DailyCost(Day0.AddDays(i), 120)).ToList();
        var projection = CostProjector.Project(history, Day0.AddDays(days), Day0.AddDays(days + 29));
        Assert.Equal(30 * 120, projection.Cost, 6);
        Assert.Equal(1, projection.Confidence, 6);
    }

    [Fact]
    public void WhenTheSpendGrowsOnAStraightLineThenTheConfidenceIsOne()
    {
        var history = Enumerable.Range(0, 30).Select(i => new DailyCost(Day0.AddDays(i), 100 + (2 * i))).ToList();
        var projection = CostProjector.Project(history, Day0.AddDays(30), Day0.AddDays(59));
        Assert.InRange(projection.Confidence, 0.99, 1);
    }
}
