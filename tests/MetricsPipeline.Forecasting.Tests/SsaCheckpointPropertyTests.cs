using CsCheck;
using MetricsPipeline.Forecasting;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SsaCheckpointPropertyTests
{
    [Fact]
    public void WhenAnySeriesIsTrainedAndRestoredThenTheCopyForecastsIdentically()
    {
        Gen.Select(Gen.Double[-1e3, 1e3].Array[80, 160], Gen.Int[2, 12], Gen.Bool)
            .Sample((series, window, mlnet) =>
            {
                var options = new SsaForecasterOptions
                {
                    WindowSize = window, SeriesLength = window + 1, TrainSize = 60, Horizon = 3,
                    Compatibility = mlnet ? SsaCompatibility.MlNet : SsaCompatibility.Default,
                };
                var model = SsaForecaster.Train(options, series);
                model.Consume(series[60]);
                var copy = model.Clone();
                var (a, b) = (new double[3], new double[3]);
                for (int t = 61; t < series.Length; t++)
                {
                    model.Consume(series[t]);
                    copy.Consume(series[t]);
                    model.Forecast(a);
                    copy.Forecast(b);
                    Assert.Equal(a, b);
                }
            }, iter: PropertyIterations.Scaled(50));
    }

    [Fact]
    public void WhenGarbageIsLoadedThenOnlyInvalidDataExceptionEscapes()
    {
        var valid = new MemoryStream();
        SsaCheckpoint.Save(SsaForecaster.Train(new SsaForecasterOptions { WindowSize = 4, SeriesLength = 5, TrainSize = 20 }, Enumerable.Range(0, 30).Select(t => (double)(t % 4)).ToArray()), valid);
        var prefix = valid.ToArray();
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, prefix.Length]).Sample((garbage, keep) =>
        {
            var bytes = prefix[..keep].Concat(garbage).ToArray();
            try
            {
                SsaCheckpoint.Load(new MemoryStream(bytes));
            }
            catch (InvalidDataException)
            {
            }
        }, iter: PropertyIterations.Scaled(500));
    }
}
