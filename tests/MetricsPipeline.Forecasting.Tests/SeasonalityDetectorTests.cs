using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SeasonalityDetectorTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(7)]
    [InlineData(50)]
    public void WhenTheSeriesIsPeriodicWithNoiseThenThePeriodIsFound(int period)
    {
        var rng = new Random(period);
        var x = Enumerable.Range(0, 600).Select(t => (10 * Math.Sin(2 * Math.PI * t / period)) + rng.NextDouble()).ToArray();
        Assert.Equal(period, SeasonalityDetector.Detect(x));
    }

    [Fact]
    public void WhenTheSeriesIsWhiteNoiseThenNoPeriodIsReported()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 600).Select(_ => rng.NextDouble()).ToArray();
        Assert.Equal(-1, SeasonalityDetector.Detect(x));
    }

    [Fact]
    public void WhenTheProbitIsEvaluatedThenItMatchesKnownQuantiles()
    {
        Assert.Equal(1.959963984540054, NormalQuantile.Probit(0.975), 1e-14);
        Assert.Equal(-2.326347874040841, NormalQuantile.Probit(0.01), 1e-13);
        Assert.Equal(0, NormalQuantile.Probit(0.5), 1e-15);
    }
}
