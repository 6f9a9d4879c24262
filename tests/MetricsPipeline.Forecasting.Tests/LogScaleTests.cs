using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class LogScaleTests
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double[] Series(int n, int seed, Func<int, double, double> value)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(t => value(t, Normal(rng)))];
    }

    /// <summary>A positive series whose noise is multiplicative and skewed up: e^(1 + 0.5 sin(2πt/24) + 0.6 z).</summary>
    private static double[] Multiplicative(int n, int seed) => Series(n, seed, (t, z) => Math.Exp(1 + (0.5 * Math.Sin(2 * Math.PI * t / 24)) + (0.6 * z)));

    /// <summary>A positive series with small additive Gaussian noise around a high level: the log scale is almost linear there.</summary>
    private static double[] Additive(int n, int seed) => Series(n, seed, (t, z) => 100 + (10 * Math.Sin(2 * Math.PI * t / 24)) + z);

    /// <summary>A peaked daily cycle with multiplicative noise, e^(2 sin(2πt/24) + 0.3 z): a sine plus white noise on the log scale.</summary>
    private static double[] Peaked(int n, int seed) => Series(n, seed, (t, z) => Math.Exp((2 * Math.Sin(2 * Math.PI * t / 24)) + (0.3 * z)));

    private static SsaForecasterOptions Options(double? logOffset, SsaCompatibility mode = SsaCompatibility.Default, int recalibration = 30) => new()
    {
        WindowSize = 24, SeriesLength = 25, TrainSize = 200, Horizon = 6, Compatibility = mode, LogOffset = logOffset,
        NaiveWeight = 0.25, NaiveSeason = 24, RecalibrationWindow = mode == SsaCompatibility.Default ? recalibration : 0,
    };

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Fact]
    public void WhenTheLogOffsetIsSetThenTheModelIsTheOneOnTheLogSeriesTurnedBack()
    {
        const double c = 0.05;
        var x = Multiplicative(400, 1);
        var y = x.Select(v => Math.Log(v + c)).ToArray();
        var logged = SsaForecaster.Train(Options(c), x);
        var onLogs = SsaForecaster.Train(Options(null), y);
        var (f1, l1, u1) = (new double[6], new double[6], new double[6]);
        var (f2, l2, u2) = (new double[6], new double[6], new double[6]);
        for (int t = 200; t < 400; t++)
        {
            logged.Consume(x[t]);
            onLogs.Consume(y[t]);
            logged.Forecast(f1, l1, u1);
            onLogs.Forecast(f2, l2, u2);
            for (int i = 0; i < 6; i++)
            {
                AssertClose(Math.Exp(f2[i]) - c, f1[i]);
                AssertClose(Math.Exp(l2[i]) - c, l1[i]);
                AssertClose(Math.Exp(u2[i]) - c, u1[i]);
                Assert.True(l1[i] <= f1[i] && f1[i] <= u1[i]);
            }

            AssertClose(Math.Exp(onLogs.NextPrediction) - c, logged.NextPrediction);
        }

        // The bounds are wider above the forecast than below it.
        Assert.True(u1[0] - f1[0] > f1[0] - l1[0]);
    }

    [Fact]
    public void WhenAValueIsBelowZeroThenItCountsAsZero()
    {
        const double c = 0.05;
        var x = Multiplicative(300, 2);
        var negative = SsaForecaster.Train(Options(c), x);
        var zero = SsaForecaster.Train(Options(c), x);
        negative.Consume(-7);
        zero.Consume(0);
        var (f1, f2) = (new double[6], new double[6]);
        negative.Forecast(f1);
        zero.Forecast(f2);
        Assert.Equal(f2, f1);
        Assert.All(f1, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void WhenTheModeIsMlNetThenTheLogOffsetChangesNothing()
    {
        var x = Multiplicative(300, 3);
        var plain = SsaForecaster.Train(Options(null, SsaCompatibility.MlNet), x);
        var logged = SsaForecaster.Train(Options(0.05, SsaCompatibility.MlNet), x);
        ForecastTwins.AssertContinueIdentically(plain, logged, x, 200, 300, 6);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void WhenTheLogOffsetIsNotPositiveAndFiniteThenValidationNamesIt(double offset)
    {
        var ex = Assert.Throws<ArgumentException>(Options(offset).Validate);
        Assert.Contains("log offset", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenALogScaleModelIsRestoredMidStreamThenItContinuesBitForBit()
    {
        var x = Multiplicative(400, 4);
        var original = SsaForecaster.Train(Options(0.05), x);
        var (f, l, u) = (new double[6], new double[6], new double[6]);
        for (int t = 200; t < 260; t++)
        {
            original.Consume(x[t]);
            original.Forecast(f, l, u);
        }

        var restored = ForecastTwins.RoundTrip(original);
        Assert.Equal(0.05, restored.Options.LogOffset);
        ForecastTwins.AssertContinueIdentically(original, restored, x, 260, 400, 6);
    }

    [Fact]
    public void WhenAVersion4CheckpointIsLoadedThenTheModelIsOnTheDataScale()
    {
        var x = Multiplicative(300, 5);
        var model = SsaForecaster.Train(Options(null), x);
        // Version 4 is version 6 without the log offset (1 + 8), the autoregression (1 + 4 without one) and the overlay (24).
        var restored = ForecastTwins.LoadAsVersion(model, 4, 9 + 29);
        Assert.Null(restored.Options.LogOffset);
        ForecastTwins.AssertContinueIdentically(model, restored, x, 200, 300, 6);
    }

    [Fact]
    public void TheTunersOffsetIsOnePercentOfTheMedianOfAStrictlyPositiveSeriesOnly()
    {
        Assert.Equal(0.03, SsaAutoTuner.LogOffsetFor([1, 3, double.NaN, 5, 2, 4])!.Value, 12);
        Assert.Null(SsaAutoTuner.LogOffsetFor([1, 3, 0, 5]));
        Assert.Null(SsaAutoTuner.LogOffsetFor([1, -3, 5]));
        Assert.Null(SsaAutoTuner.LogOffsetFor([double.NaN, double.NaN]));
    }

    [Fact]
    public void WhenTheCycleAndNoiseAreMultiplicativeThenTheTunerChoosesTheLogScale()
    {
        var x = Peaked(600, 6);
        var lines = new List<string>();
        var tuning = SsaAutoTuner.Tune(x, 6, progress: new Progress(lines));
        Assert.True(tuning.LogOffset is not null, string.Join(" | ", lines.Where(l => l.StartsWith("log scale: inner", StringComparison.Ordinal))));
        Assert.EndsWith(FormattableString.Invariant($" on ln(x + {tuning.LogOffset:G4})"), tuning.Describe(), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("log scale: inner-backtest", StringComparison.Ordinal) && l.EndsWith(": kept", StringComparison.Ordinal));

        var options = new SsaForecasterOptions { WindowSize = tuning.WindowSize, SeriesLength = tuning.WindowSize + 1, TrainSize = 600, Horizon = 6 };
        tuning.ApplyCombination(options);
        Assert.Equal(tuning.LogOffset, options.LogOffset);
    }

    [Fact]
    public void WhenTheNoiseIsAdditiveThenTheTunerKeepsTheDataScale()
    {
        var x = Additive(600, 7);
        var tuning = SsaAutoTuner.Tune(x, 6);
        Assert.Null(tuning.LogOffset);
        Assert.DoesNotContain("ln(", tuning.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheLogTransformIsNotTriedThenTheTuningIsTheDataScalesOne()
    {
        var x = Peaked(600, 6);
        var tuning = SsaAutoTuner.Tune(x, 6, tryLogTransform: false);
        Assert.Null(tuning.LogOffset);
    }

    /// <summary>Collects progress lines synchronously (System.Progress posts them to a thread pool).</summary>
    private sealed class Progress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
