using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SsaCheckpointTests
{
    private static double[] Series(int n) => Enumerable.Range(0, n).Select(t => 20 + (5 * Math.Sin(2 * Math.PI * t / 24)) + ((t * 7919 % 13) / 13.0)).ToArray();

    [Theory]
    [InlineData(SsaCompatibility.MlNet)]
    [InlineData(SsaCompatibility.Default)]
    public void WhenAModelIsRestoredMidStreamThenItContinuesBitForBit(SsaCompatibility mode)
    {
        var x = Series(400);
        var options = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 200, Horizon = 6, Compatibility = mode, MaxGrowth = new GrowthRatio(2, 1.5), BoundScale = 1.3, IncludeNoiseMeans = true };
        var original = SsaForecaster.Train(options, x);
        for (int t = 200; t < 250; t++)
        {
            original.Consume(x[t]);
        }

        var restored = ForecastTwins.RoundTrip(original);
        ForecastTwins.AssertContinueIdentically(original, restored, x, 250, 400, 6);
    }

    [Fact]
    public void WhenTheVersionIsUnknownThenLoadFailsWithAClearMessage()
    {
        var options = new SsaForecasterOptions { WindowSize = 10, SeriesLength = 11, TrainSize = 50 };
        var model = SsaForecaster.Train(options, Series(60));
        using var stream = new MemoryStream();
        SsaCheckpoint.Save(model, stream);
        var bytes = stream.ToArray();
        BitConverter.GetBytes(99).CopyTo(bytes, 4);
        var ex = Assert.Throws<InvalidDataException>(() => SsaCheckpoint.Load(new MemoryStream(bytes)));
        Assert.Contains("version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheCheckpointIsTruncatedThenLoadFailsWithInvalidData()
    {
        var options = new SsaForecasterOptions { WindowSize = 10, SeriesLength = 11, TrainSize = 50 };
        using var stream = new MemoryStream();
        SsaCheckpoint.Save(SsaForecaster.Train(options, Series(60)), stream);
        var bytes = stream.ToArray()[..(int)(stream.Length / 2)];
        Assert.Throws<InvalidDataException>(() => SsaCheckpoint.Load(new MemoryStream(bytes)));
    }
}
