using MetricsPipeline.Anomaly.Sequential;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class SlidingMartingaleTests
{
    [Theory]
    [InlineData(10, 51.2)]
    [InlineData(4, 4.83)]
    [InlineData(8, 23.3)]
    public void WhenConfidenceIs95ThenThePowerThresholdMatchesMlNetsExamples(int w, double expected)
    {
        var m = new SlidingMartingale(w, MartingaleType.Power, 0.1);
        Assert.Equal(expected, m.Threshold(95), 1);
    }

    [Fact]
    public void WhenTheFirstBetArrivesThenItFillsTheWholeWindow()
    {
        var m = new SlidingMartingale(5, MartingaleType.Power, 0.1);
        var first = m.Update(0.01);
        var bet = 0.1 * Math.Pow(0.01, -0.9);
        Assert.Equal(Math.Pow(bet, 5), first, 6);

        // A neutral p now replaces one copy of the first bet.
        var second = m.Update(0.5);
        Assert.Equal(Math.Pow(bet, 4) * 0.1 * Math.Pow(0.5, -0.9), second, 6);
    }

    [Fact]
    public void WhenTheMixtureBetIsUsedThenItIsTheIntegralOfThePowerBetOverEpsilon()
    {
        var m = new SlidingMartingale(2, MartingaleType.Mixture, 0.1);
        const double p = 0.05;
        var integral = Enumerable.Range(0, 100000).Select(i => (i + 0.5) / 100000).Sum(e => e * Math.Pow(p, e - 1)) / 100000;
        Assert.Equal(integral * integral, m.Update(p), 4);
    }

    [Fact]
    public void WhenThereIsNoMartingaleThenTheThresholdCannotBeReached()
    {
        var m = new SlidingMartingale(5, MartingaleType.None, 0.1);
        Assert.Equal(double.MaxValue, m.Threshold(95));
        Assert.Equal(0, m.Update(1e-8));
    }
}
