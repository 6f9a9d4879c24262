using MetricsPipeline.Anomaly.SrCnn;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

public sealed class SrCnnTests
{
    private static double[] Wave(int n) => Enumerable.Range(0, n).Select(i => 10 + Math.Sin(2 * Math.PI * i / 24)).ToArray();

    [Fact]
    public void WhenPredictNextIsComputedThenItIsDataOnePlusTheSlopeSum()
    {
        // ML.NET's formula: data[1] + sum_i (data[n-1] - data[i]) / (n-1-i).
        Assert.Equal(2 + ((4 - 1) / 3.0) + ((4 - 2) / 2.0) + ((4 - 3) / 1.0), SpectralResidual.PredictNext([1, 2, 3, 4]), 12);
    }

    [Fact]
    public void WhenTheAverageFilterRunsThenTheFirstPointsAverageTheirPrefix()
    {
        var output = new double[5];
        SpectralResidual.AverageFilter([1, 2, 3, 4, 5], output, 3);
        Assert.Equal([1, 1.5, 2, 3, 4], output);
    }

    [Fact]
    public void WhenAWaveCarriesOneSpikeThenTheStreamingDetectorAlertsAtTheSpikeAndNowhereElse()
    {
        var data = Wave(200);
        data[150] += 10;
        var detector = new SrCnnDetector(new SrCnnDetectorOptions());
        var outputs = data.Select(detector.Next).ToArray();
        Assert.True(outputs[150].Alert);
        Assert.True(outputs[150].Magnitude > 0);
        Assert.DoesNotContain(outputs.Take(63), o => o.Alert || o.Score != 0);
        Assert.All(outputs.Select((o, i) => (o, i)).Where(x => x.o.Alert), x => Assert.InRange(x.i, 150, 152));
        Assert.All(outputs, o => Assert.InRange(o.AnomalyScore, 0, 1));
    }

    [Fact]
    public void WhenTheEntireSeriesHasASpikeThenItIsFlaggedAndMarginsSurroundTheExpectedValue()
    {
        var data = Wave(240);
        data[100] += 10;
        var outputs = SrCnnEntireDetector.Detect(data, new SrCnnEntireOptions { BatchSize = -1, DetectMode = SrCnnDetectMode.AnomalyAndMargin, Period = 24 });
        Assert.Equal(240, outputs.Length);
        Assert.True(outputs[100].Alert);
        Assert.InRange(outputs.Count(o => o.Alert), 1, 3);
        Assert.All(outputs, o => Assert.True(o.Upper > o.Expected && o.Expected > o.Lower));
        Assert.InRange(outputs[50].Expected, 8.5, 11.5);
    }

    [Fact]
    public void WhenTheBatchSizeIsTooSmallThenTheOptionsAreRejected() =>
        Assert.Throws<ArgumentException>(() => SrCnnEntireDetector.Detect(Wave(100), new SrCnnEntireOptions { BatchSize = 5 }));

    [Fact]
    public void WhenASeriesRepeatsThenDetectSeasonalityFindsThePeriod()
    {
        Assert.Equal(24, SeasonalityDetector.DetectSeasonality(Wave(240)));
        Assert.Equal(-1, SeasonalityDetector.DetectSeasonality(Enumerable.Repeat(3.0, 100).ToArray()));
    }
}
