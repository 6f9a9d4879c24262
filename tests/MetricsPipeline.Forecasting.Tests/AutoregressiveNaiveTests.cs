using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class AutoregressiveNaiveTests
{
    private const int Season = 24;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>
    /// A seasonal autoregression: x_t = 2 + 0.5 x_{t−1} + 0.1 x_{t−2} + 0.6 x_{t−24} − 0.3 x_{t−25} + z_t (stationary:
    /// the coefficients sum to 0.9), so the next value is the last one moved by how the same hour changed a season ago.
    /// </summary>
    internal static double[] SeasonalAutoregression(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int t = 0; t < n; t++)
        {
            double Back(int k) => t - k >= 0 ? x[t - k] : 20;
            x[t] = 2 + (0.5 * Back(1)) + (0.1 * Back(2)) + (0.6 * Back(24)) - (0.3 * Back(25)) + Normal(rng);
        }

        return x;
    }

    private static SsaForecasterOptions Options(double weight = 1, int horizon = 6, int trainSize = 600) => new()
    {
        WindowSize = 24, SeriesLength = 25, TrainSize = trainSize, Horizon = horizon,
        NaiveWeight = weight, NaiveSeason = Season, NaiveAutoregressive = true,
    };

    [Fact]
    public void TheLagsAreOneToThreeAndAroundTheSeason()
    {
        Assert.Equal([1, 2, 3, 23, 24, 25], new SsaForecasterOptions { NaiveSeason = 24 }.AutoregressiveLags);
        Assert.Equal([1, 2, 3], new SsaForecasterOptions { NaiveSeason = 1 }.AutoregressiveLags);
        // A season that would repeat lags 1–3 is not used.
        Assert.Equal([1, 2, 3], new SsaForecasterOptions { NaiveSeason = 4 }.AutoregressiveLags);
    }

    [Fact]
    public void TheFitRecoversTheCoefficientsOfASeasonalAutoregression()
    {
        var x = SeasonalAutoregression(5000, 1);
        var beta = SsaForecaster.FitAutoregression(x, [1, 2, 3, 23, 24, 25]);
        double[] expected = [2, 0.5, 0.1, 0, 0, 0.6, -0.3];
        Assert.Equal(expected.Length, beta.Length);
        for (int i = 1; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - beta[i]) < 0.05, $"coefficient {i}: expected {expected[i]}, got {beta[i]}");
        }

        // The intercept is the least precise (it trades off against the mean): within 1.
        Assert.True(Math.Abs(beta[0] - 2) < 1, $"intercept {beta[0]}");
    }

    [Fact]
    public void WhenTheValuesAreConstantOrTooFewThenTheFitIsTheLastValue()
    {
        Assert.Equal([0, 1, 0, 0], SsaForecaster.FitAutoregression(Enumerable.Repeat(5.0, 200).ToArray(), [1, 2, 3]));
        Assert.Equal([0, 1, 0, 0], SsaForecaster.FitAutoregression([1, 2, 3, 4, 5, 6, 7], [1, 2, 3]));
    }

    [Fact]
    public void WhenTheWeightIsOneThenTheForecastIsTheAutoregressionRunOnItsOwnForecasts()
    {
        var x = SeasonalAutoregression(800, 2);
        var model = SsaForecaster.Train(Options(horizon: 30), x);
        var beta = model.ModelState.Autoregression;
        int[] lags = [1, 2, 3, 23, 24, 25];
        var forecast = new double[30];
        for (int t = 600; t < 800; t++)
        {
            model.Consume(x[t]);
            model.Forecast(forecast);

            // The same recursion written out: history up to t, then each step appended.
            var path = x[..(t + 1)].ToList();
            for (int i = 0; i < 30; i++)
            {
                double value = beta[0];
                for (int k = 0; k < lags.Length; k++)
                {
                    value += beta[k + 1] * path[path.Count - lags[k]];
                }

                path.Add(value);
                Assert.True(Math.Abs(value - forecast[i]) <= 1e-9 * Math.Max(1, Math.Abs(value)), $"t {t}, step {i + 1}: expected {value}, got {forecast[i]}");
            }
        }
    }

    [Fact]
    public void WhenBlendedThenEachStepIsTheWeightedSumOfSsaAndTheAutoregression()
    {
        var x = SeasonalAutoregression(700, 3);
        var plain = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 600, Horizon = 6 };
        var ssa = SsaForecaster.Train(plain, x);
        var ar = SsaForecaster.Train(Options(weight: 1), x);
        var blend = SsaForecaster.Train(Options(weight: 0.25), x);
        var (a, b, c) = (new double[6], new double[6], new double[6]);
        for (int t = 600; t < 700; t++)
        {
            ssa.Consume(x[t]);
            ar.Consume(x[t]);
            blend.Consume(x[t]);
            ssa.Forecast(a);
            ar.Forecast(b);
            blend.Forecast(c);
            for (int i = 0; i < 6; i++)
            {
                double expected = (0.75 * a[i]) + (0.25 * b[i]);
                Assert.True(Math.Abs(expected - c[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"t {t}, step {i + 1}");
            }
        }
    }

    [Fact]
    public void OnASeasonalAutoregressionTheOneStepErrorIsBelowSsaAlone()
    {
        var x = SeasonalAutoregression(1200, 4);
        var plain = new SsaForecasterOptions { WindowSize = 49, SeriesLength = 50, TrainSize = 600, Horizon = 1 };
        var ssa = SsaForecaster.Train(plain, x);
        var ar = SsaForecaster.Train(Options(horizon: 1), x);
        double ssaError = 0, arError = 0;
        var (f, g) = (new double[1], new double[1]);
        for (int t = 600; t < 1199; t++)
        {
            ssa.Consume(x[t]);
            ar.Consume(x[t]);
            ssa.Forecast(f);
            ar.Forecast(g);
            ssaError += Math.Abs(x[t + 1] - f[0]);
            arError += Math.Abs(x[t + 1] - g[0]);
        }

        // The process's own noise is N(0, 1), MAE 0.80 per step: the fitted autoregression should be close to it.
        Assert.True(arError < 0.9 * ssaError, $"autoregression MAE {arError / 599:F3}, SSA {ssaError / 599:F3}");
        Assert.True(arError / 599 < 0.9, $"autoregression MAE {arError / 599:F3}");
    }

    [Fact]
    public void ConsumingAndForecastingWithTheAutoregressionAllocateNothing()
    {
        var x = SeasonalAutoregression(3000, 10);
        var model = SsaForecaster.Train(Options(weight: 0.5, horizon: 12, trainSize: 2000), x);
        Assert.NotEmpty(model.ModelState.Autoregression);
        Assert.Equal(0, SteadyStateAllocations.QuietestRound(model, x, 12));
    }

    [Fact]
    public void WhenRestoredMidStreamThenItContinuesBitForBit()
    {
        var x = SeasonalAutoregression(800, 5);
        var original = SsaForecaster.Train(Options(weight: 0.5), x);
        var (f, l, u) = (new double[6], new double[6], new double[6]);
        for (int t = 600; t < 650; t++)
        {
            original.Consume(x[t]);
            original.Forecast(f, l, u);
        }

        var restored = ForecastTwins.RoundTrip(original);
        Assert.True(restored.Options.NaiveAutoregressive);
        Assert.Equal(original.ModelState.Autoregression, restored.ModelState.Autoregression);
        ForecastTwins.AssertContinueIdentically(original, restored, x, 650, 800, 6);
    }

    [Fact]
    public void WhenACheckpointsCoefficientsDoNotMatchItsLagsThenLoadingFails()
    {
        var x = SeasonalAutoregression(800, 6);
        var model = SsaForecaster.Train(Options(weight: 0.5), x);
        using var stream = new MemoryStream();
        SsaCheckpoint.Save(model, stream);
        // The 7 coefficients come before the overlay (none: 24 bytes): claim 6 and drop the last coefficient's 8 bytes.
        var all = stream.ToArray();
        var bytes = all[..^(24 + 8)].Concat(all[^24..]).ToArray();
        BitConverter.GetBytes(6).CopyTo(bytes, bytes.Length - 24 - (6 * 8) - 4);
        var e = Assert.Throws<InvalidDataException>(() => SsaCheckpoint.Load(new MemoryStream(bytes)));
        Assert.Contains("inconsistent combination", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenAVersion5CheckpointIsLoadedThenItHasNoAutoregression()
    {
        var x = SeasonalAutoregression(800, 7);
        var model = SsaForecaster.Train(new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 600, Horizon = 6, NaiveWeight = 0.5, NaiveSeason = Season }, x);
        var restored = ForecastTwins.LoadAsVersion(model, 5, 29);
        Assert.False(restored.Options.NaiveAutoregressive);
        ForecastTwins.AssertContinueIdentically(model, restored, x, 600, 800, 6);
    }

    [Fact]
    public void WhenCombinedWithAMedianOrALevelShareThenValidationNamesIt()
    {
        var median = Options();
        median.NaiveMedianLength = 5;
        Assert.Equal("NaiveAutoregressive", Assert.Throws<ArgumentException>(median.Validate).ParamName);
        var share = Options();
        share.NaiveLevelShare = 0.5;
        Assert.Equal("NaiveAutoregressive", Assert.Throws<ArgumentException>(share.Validate).ParamName);
    }

    [Fact]
    public void WhenTheModeIsMlNetThenTheAutoregressionIsNotUsed()
    {
        var x = SeasonalAutoregression(800, 8);
        var options = Options();
        options.Compatibility = SsaCompatibility.MlNet;
        var plain = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 600, Horizon = 6, Compatibility = SsaCompatibility.MlNet };
        var a = SsaForecaster.Train(options, x);
        var b = SsaForecaster.Train(plain, x);
        Assert.Empty(a.ModelState.Autoregression);
        var (f, g) = (new double[6], new double[6]);
        for (int t = 600; t < 700; t++)
        {
            a.Consume(x[t]);
            b.Consume(x[t]);
            a.Forecast(f);
            b.Forecast(g);
            Assert.Equal(g, f);
        }
    }

    [Fact]
    public void OnASeasonalAutoregressionTheTunerChoosesTheAutoregression()
    {
        var x = SeasonalAutoregression(1000, 9);
        var tuning = SsaAutoTuner.Tune(x, 6, tryLogTransform: false, season: Season);
        Assert.True(tuning.NaiveAutoregressive, tuning.Describe());
        Assert.Contains("ar(1-3, 23-25)", tuning.Describe(), StringComparison.Ordinal);
        var options = new SsaForecasterOptions { WindowSize = tuning.WindowSize, SeriesLength = tuning.WindowSize + 1, TrainSize = 1000, Horizon = 6 };
        tuning.ApplyCombination(options);
        Assert.True(options.NaiveAutoregressive);
        Assert.Equal(Season, options.NaiveSeason);
    }
}
