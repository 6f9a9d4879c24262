using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class ForecastCombinationTests
{
    private static double[] Seasonal(int n, int seed, double noiseAfter = 1, int changeAt = int.MaxValue)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int t = 0; t < n; t++)
        {
            double u1 = 1 - rng.NextDouble();
            double u2 = rng.NextDouble();
            double noise = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            x[t] = 50 + (10 * Math.Sin(2 * Math.PI * t / 24)) + (noise * (t >= changeAt ? noiseAfter : 1));
        }

        return x;
    }

    private static SsaForecasterOptions Options(double weight = 0, int season = 1, int recalibrate = 0, SsaCompatibility mode = SsaCompatibility.Default) => new()
    {
        WindowSize = 30, SeriesLength = 31, TrainSize = 300, Horizon = 8, Compatibility = mode,
        NaiveWeight = weight, NaiveSeason = season, RecalibrationWindow = recalibrate,
    };

    [Fact]
    public void WhenTheNaiveWeightIsOneThenEachStepIsTheValueOneSeasonBefore()
    {
        var x = Seasonal(400, 1);
        var model = SsaForecaster.Train(Options(weight: 1, season: 5), x);
        var f = new double[8];
        for (int t = 300; t < 340; t++)
        {
            model.Consume(x[t]);
            model.Forecast(f);
            for (int i = 0; i < 8; i++)
            {
                // Target t+1+i; one season back, as many seasons as it takes to reach a consumed value.
                int back = t + 1 + i - (5 * ((i / 5) + 1));
                Assert.Equal(x[back], f[i]);
            }
        }
    }

    [Fact]
    public void WhenTheNaiveWeightIsHalfThenTheForecastIsTheMeanOfSsaAndTheLastValue()
    {
        var x = Seasonal(400, 2);
        var ssa = SsaForecaster.Train(Options(), x);
        var blend = SsaForecaster.Train(Options(weight: 0.5), x);
        var (a, b) = (new double[8], new double[8]);
        for (int t = 300; t < 320; t++)
        {
            ssa.Consume(x[t]);
            blend.Consume(x[t]);
            ssa.Forecast(a);
            blend.Forecast(b);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal((0.5 * a[i]) + (0.5 * x[t]), b[i], 12);
            }
        }
    }

    [Fact]
    public void WhenStepWeightsAreGivenThenEachStepBlendsWithItsOwnWeightAndLaterStepsUseTheLast()
    {
        var x = Seasonal(400, 8);
        var ssa = SsaForecaster.Train(Options(), x);
        var options = Options();
        options.NaiveStepWeights = [1, 0.5, 0];
        var blend = SsaForecaster.Train(options, x);
        var (a, b) = (new double[8], new double[8]);
        for (int t = 300; t < 320; t++)
        {
            ssa.Consume(x[t]);
            blend.Consume(x[t]);
            ssa.Forecast(a);
            blend.Forecast(b);
            Assert.Equal(x[t], b[0]);
            Assert.Equal((0.5 * a[1]) + (0.5 * x[t]), b[1], 12);
            Assert.Equal(a[2..], b[2..]);
        }
    }

    [Fact]
    public void WhenTheModeIsMlNetThenCombinationAndRecalibrationAreIgnored()
    {
        var x = Seasonal(400, 3);
        var plain = SsaForecaster.Train(Options(mode: SsaCompatibility.MlNet), x);
        var other = SsaForecaster.Train(Options(weight: 0.5, season: 24, recalibrate: 50, mode: SsaCompatibility.MlNet), x);
        ForecastTwins.AssertContinueIdentically(plain, other, x, 300, 400, 8);
    }

    [Fact]
    public void WhenTheNoiseTriplesAfterTrainingThenRecalibratedBoundsCoverAboutTheConfidenceLevel()
    {
        var x = Seasonal(2300, 4, noiseAfter: 3, changeAt: 300);
        double Coverage(int recalibrate)
        {
            var model = SsaForecaster.Train(Options(recalibrate: recalibrate), x);
            var (f, lo, up) = (new double[8], new double[8], new double[8]);
            int inside = 0, total = 0;
            for (int t = 300; t < x.Length - 1; t++)
            {
                model.Consume(x[t]);
                model.Forecast(f, lo, up);
                if (t >= 600)
                {
                    // Step 1 against the next actual.
                    inside += x[t + 1] >= lo[0] && x[t + 1] <= up[0] ? 1 : 0;
                    total++;
                }
            }

            return (double)inside / total;
        }

        double own = Coverage(0);
        double recalibrated = Coverage(200);
        Assert.True(own < 0.8, $"the training bounds should under-cover after the noise tripled (got {own:P1})");
        Assert.InRange(recalibrated, 0.90, 0.98);
    }

    [Fact]
    public void WhenACombinedRecalibratedModelIsRestoredMidStreamThenItContinuesBitForBit()
    {
        var x = Seasonal(700, 5, noiseAfter: 2, changeAt: 350);
        var options = Options(weight: 0.25, season: 24, recalibrate: 40);
        options.NaiveStepWeights = [0.5, 0.25];
        var original = SsaForecaster.Train(options, x);
        var (f1, l1, u1) = (new double[8], new double[8], new double[8]);
        for (int t = 300; t < 450; t++)
        {
            original.Consume(x[t]);
            original.Forecast(f1, l1, u1);
        }

        var restored = ForecastTwins.RoundTrip(original);
        Assert.Equal(0.25, restored.Options.NaiveWeight);
        Assert.Equal([0.5, 0.25], restored.Options.NaiveStepWeights!);
        Assert.Equal(24, restored.Options.NaiveSeason);
        Assert.Equal(40, restored.Options.RecalibrationWindow);
        ForecastTwins.AssertContinueIdentically(original, restored, x, 450, 700, 8);
    }

    [Fact]
    public void WhenAVersionOneCheckpointIsLoadedThenItForecastsAsBefore()
    {
        var x = Seasonal(400, 6);
        var model = SsaForecaster.Train(Options(), x);
        // Version 1 is version 6 without the appended tail: 3 option fields (8 + 4 + 4), no step weights (4), an empty
        // ring (4), its count and head (4 + 4), RecordedAt (8), the calibrator flag (1), the median length (4), the
        // level share (8), the log offset (1 + 8), the autoregression (a flag and an empty array, 1 + 4) and the overlay
        // (none: the count −1, the season, two empty arrays, the ring's count and head, 24).
        var restored = ForecastTwins.LoadAsVersion(model, 1, 53 + 9 + 29);
        var (a, b) = (new double[8], new double[8]);
        for (int t = 300; t < 330; t++)
        {
            model.Consume(x[t]);
            restored.Consume(x[t]);
            model.Forecast(a);
            restored.Forecast(b);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void WhenTheSeriesIsARandomWalkThenTheTunerBlendsInTheLastValue()
    {
        var rng = new Random(7);
        var x = new double[1500];
        for (int t = 1; t < x.Length; t++)
        {
            x[t] = x[t - 1] + (rng.NextDouble() - 0.5);
        }

        var tuning = SsaAutoTuner.Tune(x, 6);
        Assert.True(tuning.NaiveStepWeights?.Any(w => w > 0) ?? tuning.NaiveWeight > 0, $"chose {tuning.Describe()}");
        Assert.Equal(1, tuning.NaiveSeason);
    }
}
