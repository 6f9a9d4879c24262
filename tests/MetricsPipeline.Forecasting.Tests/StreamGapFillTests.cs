using MetricsPipeline.Forecasting.Store;
using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>The windows a series fills in for a short gap, and what an adopted store model then catches up on.</summary>
public sealed class StreamGapFillTests
{
    private const string Key = "service.request_rate.mean.1m|service=api";

    private static double Value(int minute) => StreamTestData.Rate(minute, 0);

    private static long Start(int minute) => StreamTestData.T0 + (minute * StreamTestData.MinuteNs);

    [Fact]
    public void WhenAShortGapWasFilledThenAnAdoptedModelCatchesUpOnExactlyTheWindowsAfterItsTraining()
    {
        var series = new OnlineSeriesForecaster(StreamTestData.Options(), 0, "api", Key, TimeSpan.FromMinutes(1));
        foreach (var m in Enumerable.Range(0, 70).Concat(Enumerable.Range(73, 4)))
        {
            series.Observe(Start(m), Value(m)); // minutes 70..72 missing: filled with minute 69's value
        }

        // A store model trained through minute 74 (retrain fills the gap the same way).
        var history = Enumerable.Range(0, 75).Select(m => m is >= 70 and <= 72 ? Value(69) : Value(m)).ToArray();
        var model = SsaForecaster.Train(
            new SsaForecasterOptions { WindowSize = 12, SeriesLength = 13, TrainSize = 75, Horizon = 5, MaxRank = 6, VariableHorizon = true },
            history);
        var metadata = new ModelMetadata(Key, 1, 0.5, [0.5], [0], [0.95], 12, model.Rank, -1, Start(74), 75, DateTimeOffset.UnixEpoch);
        var reference = model.Clone();

        series.Adopt(new StoredModel(metadata, model));

        reference.Consume(Value(75));
        reference.Consume(Value(76));
        var (expected, actual) = (new double[5], new double[5]);
        reference.Forecast(expected);
        series.Forecast(actual, new double[5], new double[5]);
        Assert.Equal(expected, actual);
    }
}
