using MetricsPipeline.Forecasting.Retraining;
using MetricsPipeline.Forecasting.Store;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// <c>retrain</c> fills short gaps of the history with the last value before tuning and scoring (as the stream does);
/// the filled windows are not observations, so, as on the command line's time grid, the tuner and the backtest must
/// not score forecasts of them (nor make forecasts from them). They used to be scored as real windows.
/// </summary>
public sealed class ModelRetrainerFilledWindowTests
{
    private const int Windows = 300;
    private const int Horizon = 5;

    /// <summary>A 30-minute wave with a spike just before a 6-window gap in the scored tail: the filled windows repeat the spike.</summary>
    private static SeriesHistory HistoryWithGap(out bool[] real)
    {
        var observations = new List<Streaming.SeriesObservation>();
        for (var m = 0; m < Windows; m++)
        {
            if (m is >= 251 and <= 256)
            {
                continue;
            }

            observations.Add(StreamTestData.Observation(m, m == 250 ? 400 : StreamTestData.Rate(m, 0)));
        }

        var history = Assert.Single(SeriesHistory.Build(observations, _ => TimeSpan.FromMinutes(1), maxGapSteps: 10));
        real = [.. Enumerable.Range(0, Windows).Select(m => m is < 251 or > 256)];
        return history;
    }

    [Fact]
    public void HistoryBuildFillsTheGapWithTheLastValue()
    {
        var history = HistoryWithGap(out _);

        Assert.Equal(Windows, history.Values.Length);
        Assert.All(history.Values[251..257], v => Assert.Equal(400, v));
    }

    [Fact]
    public void WhenTheHistoryHasAFilledGapThenTheStoredScoreCountsRealWindowsOnly()
    {
        var history = HistoryWithGap(out var real);
        var retrainer = new ModelRetrainer(new ModelStore(StreamTestData.TempDir())) { Horizon = Horizon };

        var stored = Assert.IsType<ModelMetadata>(retrainer.Retrain(history).Stored);

        // The retrainer's protocol (tune on every window, then backtest the serving options with the first 70 % fitted)
        // with the filled windows marked; and the same unmarked, which is what was stored before.
        double masked = ScoreAsRetrainDoes(history.Values, real);
        double unmasked = ScoreAsRetrainDoes(history.Values, default);
        Assert.NotEqual(unmasked, masked, 1e-9);
        Assert.Equal(masked, stored.Score, 1e-12);
    }

    private static double ScoreAsRetrainDoes(double[] values, ReadOnlySpan<bool> real)
    {
        int n = values.Length;
        var tuning = SsaAutoTuner.Tune(values, Math.Min(Horizon, Math.Max(1, n / 10)), confidenceLevel: 0.95f, real: real);
        var options = tuning.ServingOptions(Horizon, 0.95f, SsaForecasterOptions.DefaultRecalibrationWindow);
        options.TrainSize = Math.Max((2 * options.WindowSize) + 1, (int)(n * 0.7));
        options.Horizon = Math.Min(Horizon, n - options.TrainSize - 1);
        var report = Backtester.Run(values, options, tuning.Season > 1 ? tuning.Season : 1, real: real);
        return report.Steps.Select(s => s.Mase).Where(double.IsFinite).Average();
    }
}
