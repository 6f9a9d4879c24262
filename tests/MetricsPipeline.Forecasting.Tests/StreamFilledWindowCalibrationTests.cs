using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// The windows a series fills in for a short gap are not observations: like the CLI's filled time-grid slots, they move
/// the model's state but the online bound recalibration must not score the forecasts against them.
/// </summary>
public sealed class StreamFilledWindowCalibrationTests
{
    private static double Value(int minute) => StreamTestData.Rate(minute, 0);

    [Fact]
    public void WhenAShortGapIsFilledThenTheBoundsAreRecalibratedOnTheRealWindowsOnly()
    {
        var root = StreamTestData.TempDir();
        var store = new ModelStore(root);
        var key = StreamTestData.Observation(0, 0).SeriesKey;
        var model = SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 60, Horizon = 5, MaxRank = 6, VariableHorizon = true, RecalibrationWindow = 100 },
            Enumerable.Range(0, 60).Select(Value).ToArray());
        store.Save(model, new ModelMetadata(key, 0, 0.5, [0.5], [0], [0.95], 12, model.Rank, -1, StreamTestData.T0 + (59 * StreamTestData.MinuteNs), 60, DateTimeOffset.UnixEpoch));
        var engine = new StreamForecastEngine(StreamTestData.Options(root), store);
        var gaps = new HashSet<int> { 70, 71, 72, 90, 91, 92, 93, 110, 111 };
        ServiceForecast? last = null;
        for (var m = 60; m < 140; m++)
        {
            if (!gaps.Contains(m))
            {
                last = engine.Process([StreamTestData.Observation(m, Value(m))]).Single();
            }
        }

        // The stored model driven by hand: real windows consumed and forecast from, filled ones (the last real value) only fed.
        var reference = store.Load(key, 1).Model;
        var (f, lo, up) = (new double[5], new double[5], new double[5]);
        var lastReal = double.NaN;
        for (var m = 60; m < 140; m++)
        {
            if (gaps.Contains(m))
            {
                reference.ConsumeFilled(lastReal);
                continue;
            }

            lastReal = Value(m);
            reference.Consume(lastReal);
            reference.Forecast(f, lo, up);
        }

        Assert.Equal("v1", last!.ModelVersion);
        Assert.Equal(f, last.Value);
        Assert.Equal(lo, last.Lower);
        Assert.Equal(up, last.Upper);
    }
}
