using CsCheck;
using MetricsPipeline.Anomaly.SrCnn;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

/// <summary>The SIMD streaming transform against the direct DFT (<see cref="SpectralResidual"/>) it replaced.</summary>
public sealed class SrCnnStreamingTransformTests
{
    private static void AssertClose(double expected, double actual)
    {
        var tolerance = 1e-9 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [InlineData(64, 5, 5, 3, 21)]
    [InlineData(30, 3, 4, 5, 30)]
    [InlineData(17, 1, 1, 1, 1)]
    [InlineData(128, 8, 6, 3, 40)]
    public void WhenRandomWindowsAreTransformedThenTheJudgedSaliencyMatchesTheDirectDft(int window, int backAdd, int lookahead, int averaging, int judgement)
    {
        var direct = new SpectralResidual(window, backAdd, lookahead, averaging);
        var fast = new StreamingSpectralResidual(window, backAdd, lookahead, averaging, judgement);
        var expected = new double[window];
        var actual = new double[judgement];
        Gen.Double[-1e6, 1e6].Array[window].Sample(values =>
        {
            direct.Transform(values, window - judgement, expected);
            fast.Transform(values, actual);
            for (var j = 0; j < judgement; j++)
            {
                AssertClose(expected[window - judgement + j], actual[j]);
            }
        }, iter: PropertyIterations.Scaled(200), threads: 1);
    }

    [Fact]
    public void WhenARandomSeriesIsStreamedThenTheDetectorMatchesTheDirectDftComputationRowByRow()
    {
        var random = new Random(17);
        var series = Enumerable.Range(0, 3000).Select(i => (100 * Math.Sin(i / 7.0)) + (random.NextDouble() * 20) + (i % 211 == 0 ? 300 : 0)).ToArray();
        var options = new SrCnnDetectorOptions();
        var detector = new SrCnnDetector(options);
        var direct = new SpectralResidual(options.WindowSize, options.BackAddWindowSize, options.LookaheadWindowSize, options.AveragingWindowSize);
        var window = new List<double>();
        var saliency = new double[options.WindowSize];
        var alerts = 0;
        foreach (var value in series)
        {
            var output = detector.Next(value);
            window.Add((float)value);
            if (window.Count > options.WindowSize)
            {
                window.RemoveAt(0);
            }

            if (window.Count < options.WindowSize)
            {
                Assert.Equal(0, output.Score);
                continue;
            }

            var from = options.WindowSize - options.JudgementWindowSize;
            direct.Transform(window.ToArray(), from, saliency);
            var average = saliency.Skip(from).Average();
            var score = SpectralResidual.Score(saliency[^1], average);
            AssertClose(saliency[^1], output.Magnitude);
            AssertClose(score, output.Score);
            Assert.Equal(score > options.Threshold, output.Alert);
            alerts += output.Alert ? 1 : 0;
        }

        Assert.True(alerts > 0);
    }

    [Fact]
    public void WhenAnAllZeroWindowIsTransformedThenTheSaliencyIsZeroNotNaN()
    {
        var fast = new StreamingSpectralResidual(64, 5, 5, 3, 21);
        var saliency = new double[21];
        fast.Transform(new double[64], saliency);
        Assert.All(saliency, s => Assert.Equal(0, s));
    }
}
