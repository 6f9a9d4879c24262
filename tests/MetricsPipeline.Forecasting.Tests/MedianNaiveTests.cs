using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class MedianNaiveTests
{
    private static double[] Noise(int n, int seed, double sd)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int t = 0; t < n; t++)
        {
            double u1 = 1 - rng.NextDouble();
            double u2 = rng.NextDouble();
            x[t] = sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return x;
    }

    /// <summary>A level of 10 with small noise and, one row in eight, a one-sided spike of +15 to +35.</summary>
    private static double[] Spiky(int n, int seed)
    {
        var x = Noise(n, seed, 0.5);
        var rng = new Random(seed + 1000);
        for (int t = 0; t < n; t++)
        {
            x[t] += 10 + (rng.NextDouble() < 0.125 ? 15 + (20 * rng.NextDouble()) : 0);
        }

        return x;
    }

    private static double[] CleanSeasonal(int n, int seed)
    {
        var x = Noise(n, seed, 1);
        for (int t = 0; t < n; t++)
        {
            x[t] += 50 + (10 * Math.Sin(2 * Math.PI * t / 24));
        }

        return x;
    }

    private static SsaForecasterOptions Options(int median, double weight = 1, int recalibrate = 0, SsaCompatibility mode = SsaCompatibility.Default) => new()
    {
        WindowSize = 10, SeriesLength = 11, TrainSize = 40, Horizon = 4, Compatibility = mode,
        NaiveWeight = weight, NaiveMedianLength = median, RecalibrationWindow = recalibrate,
    };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(8, 4)]
    [InlineData(9, 5)]
    [InlineData(96, 6)]
    [InlineData(97, 7)]
    public void WhenSelectingTheMedianThenItEqualsTheSortedMiddle(int length, int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            // Few distinct values on odd trials, so ties and runs of equal values are covered.
            var values = Enumerable.Range(0, length).Select(_ => trial % 2 == 0 ? rng.NextDouble() * 100 : rng.Next(4)).ToArray();
            var sorted = values.Order().ToArray();
            double expected = length % 2 == 1 ? sorted[length / 2] : 0.5 * (sorted[(length / 2) - 1] + sorted[length / 2]);
            Assert.Equal(expected, MedianSelection.Median(values.AsSpan()));
        }
    }

    [Fact]
    public void WhenTheWeightIsOneThenEveryStepIsTheMedianOfTheLastKValuesAndNaNIsSkipped()
    {
        // Training ends with 4, 9, 2: the ring of 3 is seeded with them.
        double[] training = [.. Enumerable.Range(0, 37).Select(t => 5 + Math.Sin(t)), 4, 9, 2];
        var model = SsaForecaster.Train(Options(median: 3), training);
        var f = new double[4];
        void Expect(double median)
        {
            model.Forecast(f);
            Assert.All(f, v => Assert.Equal(median, v));
        }

        Expect(4);               // {4, 9, 2}
        model.Consume(100);
        Expect(9);               // {9, 2, 100}
        model.Consume(double.NaN);
        Expect(9);               // a gap changes nothing
        model.Consume(1);
        Expect(2);               // {2, 100, 1}
        model.Consume(3);
        Expect(3);               // {100, 1, 3}
        model.Consume(-7);
        Expect(1);               // {1, 3, -7}
    }

    [Fact]
    public void WhenKIsEvenThenTheMedianIsTheMeanOfTheTwoMiddleValues()
    {
        double[] training = [.. Enumerable.Range(0, 36).Select(t => 5 + Math.Sin(t)), 1, 10, 4, 6];
        var model = SsaForecaster.Train(Options(median: 4), training);
        var f = new double[4];
        model.Forecast(f);
        Assert.All(f, v => Assert.Equal(5, v));   // {1, 4, 6, 10}
        model.Consume(20);
        model.Forecast(f);
        Assert.All(f, v => Assert.Equal(8, v));   // {4, 6, 10, 20}
    }

    [Fact]
    public void WhenStepWeightsAreGivenThenEachStepBlendsSsaWithTheMedian()
    {
        var x = Spiky(200, 1);
        var ssa = SsaForecaster.Train(Options(median: 0, weight: 0), x);
        var options = Options(median: 5);
        options.NaiveStepWeights = [1, 0.5, 0];
        var blend = SsaForecaster.Train(options, x);
        var (a, b) = (new double[4], new double[4]);
        for (int t = 40; t < 80; t++)
        {
            ssa.Consume(x[t]);
            blend.Consume(x[t]);
            ssa.Forecast(a);
            blend.Forecast(b);
            double median = x[(t - 4)..(t + 1)].Order().ElementAt(2);
            Assert.Equal(median, b[0]);
            Assert.Equal((0.5 * a[1]) + (0.5 * median), b[1], 12);
            Assert.Equal(a[2..], b[2..]);
        }
    }

    [Fact]
    public void WhenTheModeIsMlNetThenTheMedianIsIgnored()
    {
        var x = Spiky(200, 2);
        var plain = SsaForecaster.Train(Options(median: 0, weight: 0, mode: SsaCompatibility.MlNet), x);
        var other = SsaForecaster.Train(Options(median: 5, weight: 0.5, mode: SsaCompatibility.MlNet), x);
        ForecastTwins.AssertContinueIdentically(plain, other, x, 40, 200, 4);
    }

    [Fact]
    public void WhenTheSeriesIsSpikyThenTheTunerPicksTheMedianAndItBeatsTheLevel()
    {
        var x = Spiky(1500, 3);
        var tuning = SsaAutoTuner.Tune(x.AsSpan(0, 1000), 6);
        Assert.True(tuning.NaiveMedianLength > 0, $"chose {tuning.Describe()}");
        Assert.True(tuning.NaiveStepWeights?.Any(w => w > 0) ?? tuning.NaiveWeight > 0, $"chose {tuning.Describe()}");
        Assert.Contains($"median({tuning.NaiveMedianLength})", tuning.Describe(), StringComparison.Ordinal);

        // On the rows after training the chosen model beats the same SSA blended with the level at every step.
        double Mase(SsaTuning t, bool median)
        {
            var options = new SsaForecasterOptions { WindowSize = t.WindowSize, SeriesLength = t.WindowSize + 1, TrainSize = 1000, Horizon = 6, MaxRank = t.MaxRank };
            t.ApplyRank(options);
            t.ApplyCombination(options);
            options.NaiveMedianLength = median ? options.NaiveMedianLength : 0;
            return Backtester.Run(x, options, 1).MeanMase;
        }

        Assert.True(Mase(tuning, median: true) < 0.9 * Mase(tuning, median: false), $"median {Mase(tuning, true):F3}, level {Mase(tuning, false):F3}");
    }

    [Fact]
    public void WhenTheSeriesIsCleanlySeasonalThenTheTunerDoesNotPickTheMedian()
    {
        var x = CleanSeasonal(1000, 4);
        var tuning = SsaAutoTuner.Tune(x, 6);
        Assert.Equal(0, tuning.NaiveMedianLength);
    }

    [Fact]
    public void WhenAMedianModelIsRestoredMidStreamThenItContinuesBitForBit()
    {
        var x = Spiky(600, 5);
        var options = Options(median: 9, weight: 0.25, recalibrate: 40);
        options.NaiveStepWeights = [0.75, 0.5, 0.25];
        var original = SsaForecaster.Train(options, x);
        var (f, lo, up) = (new double[4], new double[4], new double[4]);
        for (int t = 40; t < 250; t++)
        {
            original.Consume(t % 17 == 0 ? double.NaN : x[t]);
            original.Forecast(f, lo, up);
        }

        var restored = ForecastTwins.RoundTrip(original);
        Assert.Equal(9, restored.Options.NaiveMedianLength);
        Assert.Equal([0.75, 0.5, 0.25], restored.Options.NaiveStepWeights!);
        ForecastTwins.AssertContinueIdentically(original, restored, x, 250, 600, 4);
    }

    [Fact]
    public void WhenAVersionTwoCheckpointIsLoadedThenItForecastsAsBeforeWithTheMedianOff()
    {
        var x = CleanSeasonal(400, 6);
        var options = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 300, Horizon = 8, NaiveWeight = 0.5, NaiveSeason = 24, RecalibrationWindow = 50 };
        var model = SsaForecaster.Train(options, x);
        // Version 2 is version 6 without the trailing median length (4 bytes), level share (8 bytes), log offset (9 bytes),
        // autoregression and overlay (29 bytes without them).
        var restored = ForecastTwins.LoadAsVersion(model, 2, 12 + 9 + 29);
        Assert.Equal(0, restored.Options.NaiveMedianLength);
        Assert.Equal(24, restored.Options.NaiveSeason);
        ForecastTwins.AssertContinueIdentically(model, restored, x, 300, 400, 8);
    }

    [Fact]
    public void WhenTheMedianLengthDoesNotMatchTheRingThenLoadFailsWithInvalidData()
    {
        var model = SsaForecaster.Train(Options(median: 3), Spiky(100, 7));
        using var stream = new MemoryStream();
        SsaCheckpoint.Save(model, stream);
        var bytes = stream.ToArray();
        // The median length sits before the level share (8 bytes), the log offset (flag and value, 9 bytes) and the
        // autoregression and the overlay (29 bytes without them).
        BitConverter.GetBytes(5).CopyTo(bytes, bytes.Length - 12 - 9 - 29);
        var ex = Assert.Throws<InvalidDataException>(() => SsaCheckpoint.Load(new MemoryStream(bytes)));
        Assert.Contains("inconsistent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenConsumingAndForecastingWithTheMedianThenNothingIsAllocated()
    {
        var x = Spiky(3000, 8);
        var options = new SsaForecasterOptions { WindowSize = 100, SeriesLength = 101, TrainSize = 2000, Horizon = 12, MaxRank = 20, NaiveMedianLength = 96, NaiveStepWeights = [1, 0.5, 0.25], RecalibrationWindow = 200 };
        var model = SsaForecaster.Train(options, x);

        Assert.Equal(0, SteadyStateAllocations.QuietestRound(model, x, 12));
    }
}
