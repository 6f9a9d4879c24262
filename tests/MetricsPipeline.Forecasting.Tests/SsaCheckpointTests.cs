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
        var options = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 200, Horizon = 6, Compatibility = mode, MaxGrowth = new GrowthRatio(2, 1.5) };
        var original = SsaForecaster.Train(options, x);
        for (int t = 200; t < 250; t++)
        {
            original.Consume(x[t]);
        }

        using var stream = new MemoryStream();
        SsaCheckpoint.Save(original, stream);
        stream.Position = 0;
        var restored = SsaCheckpoint.Load(stream);
        var (f1, l1, u1) = (new double[6], new double[6], new double[6]);
        var (f2, l2, u2) = (new double[6], new double[6], new double[6]);
        for (int t = 250; t < 400; t++)
        {
            original.Consume(x[t]);
            restored.Consume(x[t]);
            original.Forecast(f1, l1, u1);
            restored.Forecast(f2, l2, u2);
            Assert.Equal(f1, f2);
            Assert.Equal(l1, l2);
            Assert.Equal(u1, u2);
        }
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
