using MetricsPipeline.Forecasting;
using MetricsPipeline.Testing;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class NaiveLevelShareTests
{
    private static double[] CleanSeasonal(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int t = 0; t < n; t++)
        {
            double u1 = 1 - rng.NextDouble();
            double u2 = rng.NextDouble();
            x[t] = 50 + (10 * Math.Sin(2 * Math.PI * t / 24)) + (Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return x;
    }

    private static SsaForecasterOptions Options(int season, int median, double share, SsaCompatibility mode = SsaCompatibility.Default) => new()
    {
        WindowSize = 10, SeriesLength = 11, TrainSize = 40, Horizon = 4, Compatibility = mode,
        NaiveWeight = 1, NaiveSeason = season, NaiveMedianLength = median, NaiveLevelShare = share,
    };

    [Fact]
    public void WhenTheShareIsHalfWithASeasonThenEachStepAveragesTheLastValueAndTheValueOneSeasonBack()
    {
        // Training ends with 1, 2, 3, 10: the ring of season 4 is seeded with them, the last value is 10.
        double[] training = [.. Enumerable.Range(0, 36).Select(t => 5 + Math.Sin(t)), 1, 2, 3, 10];
        var model = SsaForecaster.Train(Options(season: 4, median: 0, share: 0.5), training);
        var f = new double[4];
        model.Forecast(f);
        Assert.Equal([5.5, 6, 6.5, 10], f);
        model.Consume(20);                  // ring {2, 3, 10, 20}
        model.Forecast(f);
        Assert.Equal([11, 11.5, 15, 20], f);
        model.Consume(double.NaN);          // a gap changes nothing
        model.Forecast(f);
        Assert.Equal([11, 11.5, 15, 20], f);
    }

    [Fact]
    public void WhenTheShareIsAQuarterWithAMedianThenEveryStepBlendsTheLastValueAndTheMedian()
    {
        double[] training = [.. Enumerable.Range(0, 37).Select(t => 5 + Math.Sin(t)), 4, 9, 2];
        var model = SsaForecaster.Train(Options(season: 1, median: 3, share: 0.25), training);
        var f = new double[4];
        model.Forecast(f);
        Assert.All(f, v => Assert.Equal((0.25 * 2) + (0.75 * 4), v));     // median {4, 9, 2} = 4, last 2
        model.Consume(100);
        model.Forecast(f);
        Assert.All(f, v => Assert.Equal((0.25 * 100) + (0.75 * 9), v));   // median {9, 2, 100} = 9, last 100
    }

    [Fact]
    public void WhenTheNaivePartIsTheLevelOrTheModeIsMlNetThenTheShareChangesNothing()
    {
        var x = CleanSeasonal(200, 1);
        var level = SsaForecaster.Train(Options(season: 1, median: 0, share: 0), x);
        var levelShared = SsaForecaster.Train(Options(season: 1, median: 0, share: 0.5), x);
        ForecastTwins.AssertContinueIdentically(level, levelShared, x, 40, 200, 4);

        var plain = SsaForecaster.Train(Options(season: 24, median: 0, share: 0, mode: SsaCompatibility.MlNet), x);
        var shared = SsaForecaster.Train(Options(season: 24, median: 0, share: 0.5, mode: SsaCompatibility.MlNet), x);
        ForecastTwins.AssertContinueIdentically(plain, shared, x, 40, 200, 4);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void WhenTheShareIsOutsideZeroToOneThenValidationNamesIt(double share)
    {
        var ex = Assert.Throws<ArgumentException>(Options(season: 24, median: 0, share: share).Validate);
        Assert.Contains("level share", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheSeriesIsCleanlySeasonalThenTheTunerDoesNotPickTheShare()
    {
        var tuning = SsaAutoTuner.Tune(CleanSeasonal(1000, 4), 6);
        Assert.Equal(0, tuning.NaiveLevelShare);
    }

    [Fact]
    public void WhenAnHourlyAdExchangeSeriesIsTunedThenItPicksTheShareAndItBeatsTheSameModelWithoutIt()
    {
        // exchange-4_cpm: hourly prices that move almost like a random walk. The training rows (first half) choose the
        // share; the rows after them are forecast by the same model with and without it.
        var x = NabDevData.Values("realAdExchange", "exchange-4_cpm_results.csv");
        int train = x.Length / 2;
        var tuning = SsaAutoTuner.Tune(x.AsSpan(0, train), 12);
        Assert.True(tuning.NaiveLevelShare == 0.5, $"chose {tuning.Describe()}");
        Assert.Contains("0.5 level + 0.5", tuning.Describe(), StringComparison.Ordinal);

        double StepOneMase(double share)
        {
            var options = new SsaForecasterOptions { WindowSize = tuning.WindowSize, SeriesLength = tuning.WindowSize + 1, TrainSize = train, Horizon = 12, MaxRank = tuning.MaxRank, BoundScale = tuning.BoundScale };
            tuning.ApplyRank(options);
            tuning.ApplyCombination(options);
            options.NaiveLevelShare = share;
            return Backtester.Run(x, options, tuning.Season > 1 ? tuning.Season : 1).Steps[0].Mase;
        }

        double with = StepOneMase(0.5);
        double without = StepOneMase(0);
        Assert.True(with < 0.97 * without, $"with share {with:F4}, without {without:F4}");
    }

    [Fact]
    public void WhenASharedModelIsRestoredMidStreamThenItContinuesBitForBit()
    {
        var x = CleanSeasonal(600, 5);
        var options = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 300, Horizon = 8, NaiveSeason = 24, NaiveStepWeights = [0.75, 0.5, 0.25], NaiveLevelShare = 0.5, RecalibrationWindow = 50 };
        var original = SsaForecaster.Train(options, x);
        var (f, lo, up) = (new double[8], new double[8], new double[8]);
        for (int t = 300; t < 400; t++)
        {
            original.Consume(t % 17 == 0 ? double.NaN : x[t]);
            original.Forecast(f, lo, up);
        }

        var restored = ForecastTwins.RoundTrip(original);
        Assert.Equal(0.5, restored.Options.NaiveLevelShare);
        ForecastTwins.AssertContinueIdentically(original, restored, x, 400, 600, 8);
    }

    [Fact]
    public void WhenAVersionThreeCheckpointIsLoadedThenItForecastsAsBeforeWithTheShareOff()
    {
        var x = CleanSeasonal(400, 6);
        var options = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 300, Horizon = 8, NaiveWeight = 0.5, NaiveMedianLength = 5, RecalibrationWindow = 50 };
        var model = SsaForecaster.Train(options, x);
        // Version 3 is version 6 without the trailing level share (8 bytes), log offset (9 bytes),
        // autoregression and overlay (29 bytes without them).
        var restored = ForecastTwins.LoadAsVersion(model, 3, 8 + 9 + 29);
        Assert.Equal(0, restored.Options.NaiveLevelShare);
        Assert.Equal(5, restored.Options.NaiveMedianLength);
        ForecastTwins.AssertContinueIdentically(model, restored, x, 300, 400, 8);
    }

    [Fact]
    public void WhenConsumingAndForecastingWithTheShareThenNothingIsAllocated()
    {
        var x = CleanSeasonal(3000, 8);
        var options = new SsaForecasterOptions { WindowSize = 100, SeriesLength = 101, TrainSize = 2000, Horizon = 12, MaxRank = 20, NaiveSeason = 24, NaiveStepWeights = [1, 0.5, 0.25], NaiveLevelShare = 0.5, RecalibrationWindow = 200 };
        var model = SsaForecaster.Train(options, x);

        Assert.Equal(0, SteadyStateAllocations.QuietestRound(model, x, 12));
    }
}
