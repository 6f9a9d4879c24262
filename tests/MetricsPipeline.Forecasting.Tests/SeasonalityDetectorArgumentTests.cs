using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>DetectSeasonality's arguments and its −1 answers (session 10 audit of issue 4 item 4).</summary>
public sealed class SeasonalityDetectorArgumentTests
{
    private static double[] Periodic(int period)
    {
        var random = new Random(period);
        return Enumerable.Range(0, 600).Select(t => (10 * Math.Sin(2 * Math.PI * t / period)) + random.NextDouble()).ToArray();
    }

    [Theory]
    [InlineData(95.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void WhenTheRandomnessThresholdIsOutsideZeroToOneThenDetectThrowsNamingIt(double threshold)
    {
        // It used to return -1 for any series: a threshold of 95 (a percentage) made the noise band NaN.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SeasonalityDetector.Detect(Periodic(24), randomnessThreshold: threshold));
        Assert.Equal("randomnessThreshold", ex.ParamName);
    }

    [Fact]
    public void WhenTheThresholdIsAtTheEndsOfItsRangeThenItIsAcceptedAndOneNeverAcceptsAPeriod()
    {
        Assert.Equal(24, SeasonalityDetector.Detect(Periodic(24), randomnessThreshold: 0));
        Assert.Equal(-1, SeasonalityDetector.Detect(Periodic(24), randomnessThreshold: 1));
    }

    [Fact]
    public void WhenTheSeriesIsConstantTooShortOrAllMissingThenNoPeriodIsReported()
    {
        Assert.Equal(-1, SeasonalityDetector.Detect(Enumerable.Repeat(5.0, 200).ToArray()));
        Assert.Equal(-1, SeasonalityDetector.Detect([1, 2, 1, 2, 1, 2, 1]));
        Assert.Equal(-1, SeasonalityDetector.Detect(Enumerable.Repeat(double.NaN, 200).ToArray()));
    }

    [Fact]
    public void WhenOnlyTheFirstPointsAreAnalysedThenALaterPeriodIsNotSeen()
    {
        // The first 600 points are SeasonalityDetectorTests' white noise (no period), then a strong 12-point season.
        var random = new Random(3);
        var series = Enumerable.Range(0, 1200).Select(t => t < 600 ? random.NextDouble() : 10 * Math.Sin(2 * Math.PI * t / 12)).ToArray();
        Assert.Equal(12, SeasonalityDetector.Detect(series));
        Assert.Equal(-1, SeasonalityDetector.Detect(series, seasonalityWindowSize: 600));
    }
}
