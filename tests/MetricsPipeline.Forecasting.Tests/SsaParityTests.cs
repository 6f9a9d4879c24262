using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SsaParityTests
{
    private static double[] Noisy(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(t => 50 + (10 * Math.Sin(2 * Math.PI * t / 24)) + (0.05 * t) + (3 * rng.NextDouble())).ToArray();
    }

    [Theory]
    [InlineData(SsaCompatibility.MlNet, 24, 3)]
    [InlineData(SsaCompatibility.Default, 24, 3)]
    [InlineData(SsaCompatibility.MlNet, 12, 3)]
    [InlineData(SsaCompatibility.Default, 48, 7)]
    public void WhenRankIsFixedThenTrainingConsumeAndForecastMatchTheTextbookWithin1e5Relative(SsaCompatibility mode, int l, int rank)
    {
        var x = Noisy(400, l + rank);
        var options = new SsaForecasterOptions
        {
            WindowSize = l, SeriesLength = l + 1, TrainSize = 300, Horizon = 8, RankSelectionMethod = RankSelectionMethod.Fixed,
            Rank = rank, ShouldStabilize = false, Compatibility = mode,
        };
        var model = SsaForecaster.Train(options, x);
        var reference = new TextbookSsa(x[..300], l, rank);

        // Double precision must agree with the textbook to 1e-5. The MlNet path stores C, the eigenvectors and α as
        // float32, as ML.NET does; on noisy data that alone moves α by up to ~3e-4 relative, so it gets 1e-3 here.
        double tolerance = mode == SsaCompatibility.MlNet ? 1e-3 : 1e-5;
        for (int j = 0; j < l - 1; j++)
        {
            MlNetPublishedCaseTests.AssertRelative(reference.Alpha[j], model.Alpha[j], tolerance);
        }

        var f = new double[8];
        for (int t = 300; t < 400; t++)
        {
            model.Consume(x[t]);
            reference.Consume(x[t]);
            model.Forecast(f);
            var expected = reference.Forecast(8);
            for (int i = 0; i < 8; i++)
            {
                MlNetPublishedCaseTests.AssertRelative(expected[i], f[i], tolerance);
            }
        }
    }

    [Fact]
    public void WhenTheSeriesIsAPureSinusoidThenTheRecurrenceContinuesItExactly()
    {
        var x = Enumerable.Range(0, 200).Select(t => 10 + (5 * Math.Sin((2 * Math.PI * t / 12) + 0.3))).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 120, Horizon = 24, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 3 };
        var model = SsaForecaster.Train(options, x);
        var f = new double[24];
        for (int t = 120; t < 176; t++)
        {
            model.Consume(x[t]);
            model.Forecast(f);
            for (int i = 0; i < 24; i++)
            {
                Assert.Equal(x[t + 1 + i], f[i], 1e-6);
            }
        }
    }

    [Fact]
    public void WhenTheSeriesIsLinearThenRankTwoExtrapolatesTheLine()
    {
        var x = Enumerable.Range(0, 100).Select(t => 3 + (2.0 * t)).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 8, SeriesLength = 9, TrainSize = 60, Horizon = 5, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 2, ShouldStabilize = false };
        var model = SsaForecaster.Train(options, x);
        var f = new double[5];
        model.Forecast(f);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(x[60 + i], f[i], 1e-6);
        }
    }

    [Fact]
    public void WhenTheSeriesIsConstantThenExactRankSelectionForecastsTheConstantWithZeroWidthBounds()
    {
        var x = Enumerable.Repeat(7.0, 100).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 10, SeriesLength = 11, TrainSize = 50, Horizon = 3, Compatibility = SsaCompatibility.MlNet };
        var model = SsaForecaster.Train(options, x);
        var f = new double[3];
        var lo = new double[3];
        var up = new double[3];
        model.Consume(7);
        model.Forecast(f, lo, up);
        Assert.Equal(1, model.Rank);
        for (int i = 0; i < 3; i++)
        {
            MlNetPublishedCaseTests.AssertRelative(7, f[i]);
            Assert.True(up[i] - lo[i] < 1e-3);
        }
    }

    [Fact]
    public void WhenTooFewPointsAreAvailableThenTheModelIsUntrainedAndForecastsZero()
    {
        var x = Enumerable.Range(0, 30).Select(t => t % 3 == 0 ? double.NaN : t).ToArray();
        var options = new SsaForecasterOptions { WindowSize = 10, SeriesLength = 11, TrainSize = 25, Horizon = 2 };
        var model = SsaForecaster.Train(options, x);
        model.Consume(5);
        var f = new double[2];
        model.Forecast(f);
        Assert.False(model.IsTrained);
        Assert.All(f, v => Assert.Equal(0, v));
    }

    [Fact]
    public void WhenMaxGrowthIsOneThenStabilisationCapsAnExponentialTrend()
    {
        var x = Enumerable.Range(0, 400).Select(t => (100 * Math.Pow(1.01, t)) + (10 * Math.Sin(2 * Math.PI * t / 24))).ToArray();
        var capped = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 300, Horizon = 500, MaxGrowth = new GrowthRatio(1, 1.0) };
        var free = new SsaForecasterOptions { WindowSize = 30, SeriesLength = 31, TrainSize = 300, Horizon = 500 };
        var f = new double[500];
        SsaForecaster.Train(capped, x).Forecast(f);
        Assert.True(f.Max() < 3 * x[299], $"max capped forecast {f.Max()} grew exponentially");

        // Without a growth bound, ML.NET's rule lets the largest observed real root (≈1.01) through.
        SsaForecaster.Train(free, x).Forecast(f);
        Assert.True(f[^1] > 50 * x[299]);
    }
}
