using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// Parity of the production modeler with <see cref="ReferenceSsa"/>, an independent dense transcription of the
/// reference description. Every expected number here is computed by that transcription, none is quoted.
/// </summary>
public sealed class ReferenceParityTests
{
    internal static double[] Seasonal(int n, int period, int seed, double noise, double slope = 0.05)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(t => 50 + (10 * Math.Sin(2 * Math.PI * t / period)) + (4 * Math.Cos(4 * Math.PI * t / period)) + (slope * t) + (noise * rng.NextDouble())).ToArray();
    }

    /// <summary>
    /// Consumes <paramref name="rows"/> in order and compares forecast and both bounds after each row. With
    /// <paramref name="operandScale"/> the relative tolerance is also floored at the largest |x| in the lag window
    /// (the last L rows): float32 products carry an error relative to their operands, not to a result that cancels.
    /// </summary>
    internal static int CompareRun(SsaForecaster model, ReferenceSsa reference, IEnumerable<double> rows, int h, double tolerance, double floor = 1e-3, bool operandScale = false)
    {
        var (f, lo, up) = (new double[h], new double[h], new double[h]);
        int compared = 0;
        var lag = new Queue<double>();
        double baseFloor = floor;
        foreach (double x in rows)
        {
            lag.Enqueue(Math.Abs(x));
            if (lag.Count > model.WindowSize)
            {
                lag.Dequeue();
            }

            floor = operandScale ? Math.Max(baseFloor, lag.Max()) : baseFloor;
            model.Consume(x);
            reference.Consume(x);
            model.Forecast(f, lo, up);
            var (ef, elo, eup) = reference.Forecast(h);
            for (int i = 0; i < h; i++)
            {
                MlNetPublishedCaseTests.AssertRelative(ef[i], f[i], tolerance, floor);
                MlNetPublishedCaseTests.AssertRelative(elo[i], lo[i], tolerance, floor);
                MlNetPublishedCaseTests.AssertRelative(eup[i], up[i], tolerance, floor);
                compared += 3;
            }
        }

        return compared;
    }

    [Theory]
    [InlineData(12, 24, 1, 3.0)]
    [InlineData(24, 24, 2, 3.0)]
    [InlineData(30, 12, 3, 0.5)]
    [InlineData(20, 7, 4, 6.0)]
    public void WhenExactRankSelectionAndStabilisationRunInDefaultModeThenEverythingMatchesTheReferenceWithin1e5(int l, int period, int seed, double noise)
    {
        var x = Seasonal(500, period, seed, noise);
        var options = new SsaForecasterOptions { WindowSize = l, SeriesLength = l + 1, TrainSize = 300, Horizon = 8 };
        var model = SsaForecaster.Train(options, x);
        var reference = new ReferenceSsa(x[..300], l, maxRank: l - 1, fixedRank: null, stabilize: true, skipPsi1: false);
        Assert.Equal(reference.Rank, model.Rank);
        for (int j = 0; j < l - 1; j++)
        {
            MlNetPublishedCaseTests.AssertRelative(reference.Alpha[j], model.Alpha[j]);
        }

        MlNetPublishedCaseTests.AssertRelative(reference.ObservationVariance, model.Noise.ObservationVariance);
        MlNetPublishedCaseTests.AssertRelative(reference.AutoregressiveVariance, model.Noise.AutoregressiveVariance);
        int compared = CompareRun(model, reference, x[300..], 8, 1e-5);
        Assert.Equal(200 * 8 * 3, compared);
    }

    [Theory]
    [InlineData(16, 5, 24)]
    [InlineData(40, 8, 24)]
    public void WhenTheRankIsFixedAndMaxRankCapsNothingThenDefaultModeMatchesTheReferenceWithin1e5(int l, int rank, int period)
    {
        var x = Seasonal(600, period, l, 2.0, slope: 0);
        var options = new SsaForecasterOptions { WindowSize = l, SeriesLength = l + 1, TrainSize = 400, Horizon = 12, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = rank, MaxRank = l - 1 };
        var model = SsaForecaster.Train(options, x);
        var reference = new ReferenceSsa(x[..400], l, maxRank: l - 1, fixedRank: rank, stabilize: true, skipPsi1: false);
        CompareRun(model, reference, x[400..], 12, 1e-5);
    }

    [Fact]
    public void WhenMlNetModeRunsAWellConditionedSeasonalCaseThenFloat32StorageStaysWithin1e5OfTheDoubleReference()
    {
        // Low noise: the float32 rounding of C, the eigenvectors and α (as ML.NET stores them) moves α by ~1e-7 only.
        var x = Seasonal(400, 12, 9, 0.01, slope: 0);
        var options = new SsaForecasterOptions { WindowSize = 24, SeriesLength = 25, TrainSize = 250, Horizon = 6, RankSelectionMethod = RankSelectionMethod.Fixed, Rank = 4, Compatibility = SsaCompatibility.MlNet };
        var model = SsaForecaster.Train(options, x);
        var reference = new ReferenceSsa(x[..250].Select(v => (double)(float)v).ToArray(), 24, maxRank: 23, fixedRank: 4, stabilize: true, skipPsi1: true);
        var (f, lo, up) = (new double[6], new double[6], new double[6]);
        foreach (double v in x[250..])
        {
            model.Consume(v);
            reference.Consume((float)v);
            model.Forecast(f, lo, up);
            var (ef, _, _) = reference.Forecast(6);
            for (int i = 0; i < 6; i++)
            {
                MlNetPublishedCaseTests.AssertRelative(ef[i], f[i], floor: 1);
            }
        }
    }

    [Fact]
    public void WhenTheReferenceSkipsPsi1ThenItsBoundsAreNarrowerThanTheTextbookFromStepTwo()
    {
        // Guards the reference itself: the two recursions share step 1 and differ afterwards.
        var x = Seasonal(300, 12, 5, 3.0);
        var mlnet = new ReferenceSsa(x, 20, 19, null, true, skipPsi1: true).Forecast(4);
        var textbook = new ReferenceSsa(x, 20, 19, null, true, skipPsi1: false).Forecast(4);
        Assert.Equal(textbook.Upper[0], mlnet.Upper[0], 12);
        Assert.NotEqual(textbook.Upper[1], mlnet.Upper[1]);
    }
}
