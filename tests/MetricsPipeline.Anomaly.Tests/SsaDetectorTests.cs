using MetricsPipeline.Anomaly.Ssa;
using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Anomaly.Tests;

/// <summary>
/// The SSA spike / change-point detectors against the reference's description of ML.NET: the model trained on the first
/// trainingWindowSize rows with L = seasonalityWindowSize, the raw score = error(x, prediction made before x), the
/// sliding KDE p-value and the sliding martingale, recomputed here independently of the library's estimators.
/// </summary>
public sealed class SsaDetectorTests
{
    private static double[] Seasonal(int n, int seed, double noise = 0.1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(t => 10 + (3 * Math.Sin(2 * Math.PI * t / 10)) + (noise * (random.NextDouble() - 0.5))).ToArray();
    }

    // Abramowitz–Stegun 7.1.26, as ML.NET's ProbabilityFunctions.Erf.
    private static double Erf(double x)
    {
        var sign = x < 0 ? -1 : 1;
        x = Math.Abs(x);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        return sign * (1 - (poly * Math.Exp(-x * x)));
    }

    // The reference's ComputeKernelPValue over an explicit history (oldest first), two-sided, clamped.
    private static double KernelPValue(float s, IReadOnlyList<float> history)
    {
        var n = history.Count;
        if (n == 0)
        {
            return 0.5;
        }

        double pairs = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                pairs += ((double)history[i] - history[j]) * ((double)history[i] - history[j]);
            }
        }

        var h = Math.Max(Math.Sqrt(2) * (n == 1 ? 1 : Math.Sqrt(pairs) / n), 1e-6);
        var p = 0.5 - (history.Sum(b => Erf((s - b) / h)) / (2 * n));
        return Math.Clamp(Math.Min(p, 1 - p), 1e-8, 1 - 1e-8);
    }

    private static (double[] Raw, double[] P) Reference(double[] data, SsaDetectorOptions options, bool engine)
    {
        var model = SsaForecaster.Train(SsaDetectors.ModelerOptions(options), data);
        var raw = new double[data.Length];
        var p = new double[data.Length];
        var history = new List<float>();
        for (var t = 0; t < data.Length; t++)
        {
            var before = (float)model.NextPrediction;
            model.Consume((float)data[t]);
            var prediction = engine ? (float)model.NextPrediction : before;
            var s = (float)((float)data[t] - prediction);
            raw[t] = (float)data[t] - prediction;
            p[t] = KernelPValue(s, history);
            history.Add(s);
            if (history.Count > options.HistoryLength)
            {
                history.RemoveAt(0);
            }
        }

        return (raw, p);
    }

    [Fact]
    public void WhenTheModelerIsConfiguredThenItUsesTheSsaDetectorsSettingsFromTheReference()
    {
        var o = SsaDetectors.ModelerOptions(new SsaDetectorOptions { TrainingWindowSize = 120, SeasonalityWindowSize = 12 });
        Assert.Equal(12, o.WindowSize);
        Assert.Equal(13, o.SeriesLength);
        Assert.Equal(120, o.TrainSize);
        Assert.Equal(6, o.MaxRank);
        Assert.Equal(6, o.EffectiveMaxRank);
        Assert.Equal(RankSelectionMethod.Exact, o.RankSelectionMethod);
        Assert.False(o.ShouldStabilize);
        Assert.False(o.ComputeConfidenceBounds);
        Assert.Equal(SsaCompatibility.MlNet, o.Compatibility);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WhenASeasonalSeriesIsScoredThenRawScoresAndPValuesMatchTheReferenceComputation(bool engine)
    {
        var data = Seasonal(300, 3);
        var options = new SsaDetectorOptions { HistoryLength = 30, TrainingWindowSize = 100, SeasonalityWindowSize = 10, EngineMode = engine };
        var detector = SsaDetectors.CreateSpike(options, data);
        var (raw, p) = Reference(data, options, engine);
        for (var t = 0; t < data.Length; t++)
        {
            var o = detector.Next(data[t]);
            Assert.Equal(raw[t], o.Score, 1e-5);
            Assert.Equal(p[t], o.PValue, 1e-5);
            Assert.Equal(t >= options.HistoryLength - 1 && p[t] <= 0.01, o.Alert);
        }
    }

    [Fact]
    public void WhenTheSeriesIsAPureSinusoidThenTheErrorsVanishUntilASpikeWhichAloneAlertsAtItsRow()
    {
        var data = Enumerable.Range(0, 260).Select(t => 3 * Math.Sin(2 * Math.PI * t / 10)).ToArray();
        data[200] += 5;
        var detector = SsaDetectors.CreateSpike(new SsaDetectorOptions { HistoryLength = 50, TrainingWindowSize = 100, SeasonalityWindowSize = 10 }, data);
        var outputs = data.Select(detector.Next).ToArray();

        // A period-10 sinusoid has rank 2 within L = 10, so the recurrence continues it to float32 precision.
        Assert.All(outputs.Take(200), o => Assert.InRange(Math.Abs(o.Score), 0, 1e-4));
        Assert.Equal(5, outputs[200].Score, 1e-4);
        Assert.True(outputs[200].Alert);
        Assert.DoesNotContain(outputs.Take(200), o => o.Alert);
    }

    [Theory]
    [InlineData(ErrorFunction.AbsoluteDifference)]
    [InlineData(ErrorFunction.SquaredDifference)]
    [InlineData(ErrorFunction.SignedProportion)]
    public void WhenAnErrorFunctionIsChosenThenTheRawScoreIsThatFunctionOfTheSameError(ErrorFunction function)
    {
        var data = Seasonal(200, 5, noise: 1);
        var signed = SsaDetectors.CreateSpike(new SsaDetectorOptions { HistoryLength = 20 }, data);
        var chosen = SsaDetectors.CreateSpike(new SsaDetectorOptions { HistoryLength = 20, ErrorFunction = function }, data);
        for (var t = 0; t < data.Length; t++)
        {
            var e = signed.Next(data[t]).Score;
            var x = (float)data[t];
            var prediction = x - e;
            var expected = function switch
            {
                ErrorFunction.AbsoluteDifference => Math.Abs(e),
                ErrorFunction.SquaredDifference => e * e,
                _ => e / prediction,
            };
            Assert.Equal(expected, chosen.Next(data[t]).Score, 1e-4 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public void WhenTheLevelShiftsThenTheChangePointMartingaleMatchesTheSlidingProductAndPeaksAfterTheShift()
    {
        var data = Seasonal(300, 7, noise: 0.4);
        for (var t = 200; t < data.Length; t++)
        {
            data[t] += 6;
        }

        var options = new SsaDetectorOptions { Confidence = 95, HistoryLength = 20 };
        var detector = SsaDetectors.CreateChangePoint(options, data);
        var (_, p) = Reference(data, options, engine: false);
        var logBets = new List<double>();
        var outputs = new AnomalyOutput[data.Length];
        for (var t = 0; t < data.Length; t++)
        {
            outputs[t] = detector.Next(data[t]);
            var logBet = Math.Log(0.1) + (-0.9 * Math.Log(p[t]));
            if (logBets.Count == 0)
            {
                logBets.AddRange(Enumerable.Repeat(logBet, options.HistoryLength));
            }
            else
            {
                logBets.RemoveAt(0);
                logBets.Add(logBet);
            }

            Assert.Equal(1.0, outputs[t].Martingale / Math.Exp(logBets.Sum()), 1e-4);
        }

        var alerts = outputs.Select((o, i) => (o, i)).Where(x => x.o.Alert).Select(x => x.i).ToArray();
        // With noise, the shift's large errors widen the KDE bandwidth at once, so ML.NET's sliding martingale rises by
        // orders of magnitude but stays under exp(20 log b(0.05)) ≈ 2.6e3: no alert, as ML.NET would report.
        var before = outputs.Skip(150).Take(50).Max(o => o.Martingale);
        var after = outputs.Skip(200).Take(20).Max(o => o.Martingale);
        Assert.True(after > 1e4 * before, $"martingale peak {after} after the shift vs {before} before");
        Assert.InRange(after, 0, detector.MartingaleThreshold);
        Assert.Empty(alerts);
        Assert.All(alerts.Zip(alerts.Skip(1)), pair => Assert.True(pair.Second - pair.First >= options.HistoryLength));
    }

    [Fact]
    public void WhenOnlyRowsAfterTheTrainingWindowDifferThenEarlierOutputsAreIdentical()
    {
        var a = Seasonal(200, 9, noise: 1);
        var b = (double[])a.Clone();
        for (var t = 150; t < b.Length; t++)
        {
            b[t] = -b[t];
        }

        var options = new SsaDetectorOptions { HistoryLength = 20, TrainingWindowSize = 100 };
        var da = SsaDetectors.CreateSpike(options, a);
        var db = SsaDetectors.CreateSpike(options, b);
        for (var t = 0; t < 150; t++)
        {
            Assert.Equal(da.Next(a[t]), db.Next(b[t]));
        }
    }

    [Fact]
    public void WhenACheckpointIsRestoredIntoAnotherDetectorThenItContinuesIdentically()
    {
        var data = Seasonal(260, 11, noise: 1);
        var options = new SsaDetectorOptions { Confidence = 95, HistoryLength = 20 };
        var original = SsaDetectors.CreateChangePoint(options, data);
        for (var t = 0; t < 130; t++)
        {
            original.Next(data[t]);
        }

        using var stream = new MemoryStream();
        original.SaveCheckpoint(new BinaryWriter(stream));
        stream.Position = 0;
        var restored = SsaDetectors.CreateChangePoint(options, Seasonal(200, 99, noise: 5));
        restored.RestoreCheckpoint(new BinaryReader(stream));
        for (var t = 130; t < data.Length; t++)
        {
            Assert.Equal(original.Next(data[t]), restored.Next(data[t]));
        }
    }

    [Fact]
    public void WhenTheDetectorIsResetThenItReplaysExactlyLikeAFreshlyTrainedOne()
    {
        var data = Seasonal(200, 13, noise: 1);
        var options = new SsaDetectorOptions { Confidence = 95, HistoryLength = 20 };
        var first = SsaDetectors.CreateChangePoint(options, data);
        var fresh = data.Select(first.Next).ToArray();
        var reused = SsaDetectors.CreateChangePoint(options, data);
        foreach (var x in data.Take(150))
        {
            reused.Next(-x);
        }

        reused.Reset();
        Assert.Equal(fresh, data.Select(reused.Next).ToArray());
    }

    [Fact]
    public void WhenTheTrainingWindowIsTooSmallThenCreatingTheDetectorFailsWithMlNetsMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => SsaDetectors.CreateSpike(new SsaDetectorOptions { TrainingWindowSize = 20, SeasonalityWindowSize = 10 }, Seasonal(100, 1)));
        Assert.Contains("2 * seasonality window size", e.Message, StringComparison.Ordinal);
    }
}
