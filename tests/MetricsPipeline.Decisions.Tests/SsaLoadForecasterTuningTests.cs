using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Decisions.Simulation;
using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Decisions.Tests;

/// <summary><see cref="SsaLoadForecaster"/> with <see cref="SsaLoadForecasterOptions.AutoTune"/>: the tuner's model, on schedule.</summary>
public sealed class SsaLoadForecasterTuningTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A positive load with a 24-step season, occasional level shifts and deterministic noise: on its first 120 steps the
    /// tuner chooses a combination with a seasonal naive (per-step weights), so the test covers more than plain SSA.
    /// </summary>
    private static double[] Load(int n)
    {
        var random = new Random(7);
        double level = 100;
        var load = new double[n];
        for (int i = 0; i < n; i++)
        {
            level = Math.Max(20, level + (random.NextDouble() < 0.05 ? 40 * (random.NextDouble() - 0.5) : 0));
            load[i] = level + (10 * Math.Sin(2 * Math.PI * i / 24)) + (5 * random.NextDouble());
        }

        return load;
    }

    /// <summary>Feeds one observation per step for <paramref name="count"/> steps from step <paramref name="from"/>.</summary>
    private static void Feed(SsaLoadForecaster forecaster, double[] load, int from, int count)
    {
        for (int i = from; i < from + count; i++)
        {
            forecaster.Observe(Start + (Step * i), load[i]);
        }
    }

    /// <summary>The model the retrain job would build from <paramref name="tuning"/> on <paramref name="rows"/>, set up here independently of the forecaster.</summary>
    private static SsaForecaster RetrainersModel(SsaTuning tuning, double[] rows, int horizon, double level, int recalibrationWindow)
    {
        var options = new SsaForecasterOptions
        {
            WindowSize = tuning.WindowSize,
            SeriesLength = tuning.WindowSize + 1,
            TrainSize = rows.Length,
            Horizon = horizon,
            MaxRank = tuning.MaxRank,
            BoundScale = tuning.BoundScale,
            ConfidenceLevel = (float)level,
            VariableHorizon = true,
            RecalibrationWindow = recalibrationWindow,
        };
        tuning.ApplyRank(options);
        tuning.ApplyCombination(options);
        return SsaForecaster.Train(options, rows);
    }

    [Fact]
    public void WhenTunedThenTheModelAndItsForecastsAreTheTunersOnTheSameRows()
    {
        var options = new SsaLoadForecasterOptions { TrainSize = 120, AutoTune = true, TuneHorizon = 6 };
        var forecaster = new SsaLoadForecaster(options);
        var load = Load(200);

        // Step 120's observation completes step 119: the history then holds 120 steps and the first training runs.
        Feed(forecaster, load, 0, 121);
        var rows = load[..120];
        var expected = SsaAutoTuner.Tune(rows, 6, confidenceLevel: 0.7f);
        Assert.NotNull(forecaster.Tuning);
        Assert.Equal(expected.Describe(), forecaster.Tuning!.Describe());
        Assert.Contains("seasonal-naive", expected.Describe(), StringComparison.Ordinal);
        Assert.Equal((expected.WindowSize, expected.Rank, expected.Season, expected.BoundScale, expected.Score), (forecaster.Tuning.WindowSize, forecaster.Tuning.Rank, forecaster.Tuning.Season, forecaster.Tuning.BoundScale, forecaster.Tuning.Score));

        var model = RetrainersModel(expected, rows, 6, 0.7, SsaForecasterOptions.DefaultRecalibrationWindow);
        AssertSameForecasts(forecaster, model, Start + (Step * 120));

        // Then, at each step, the model consumes the completed step and forecasts as the directly trained one does, long
        // enough for the online bound recalibration (the stream's models have it; 30 matured errors per step) to move
        // the bounds.
        for (int i = 121; i < 190; i++)
        {
            Feed(forecaster, load, i, 1);
            model.Consume(load[i - 1]);
            AssertSameForecasts(forecaster, model, Start + (Step * i));
        }

        Assert.StartsWith("ssa-tuned: ", forecaster.Forecast(Start + (Step * 190), Step)!.Model, StringComparison.Ordinal);
    }

    private static void AssertSameForecasts(SsaLoadForecaster forecaster, SsaForecaster model, DateTimeOffset now)
    {
        // The stream forecasts the trained horizon (6 here), where the online recalibration applies.
        var value = new double[6];
        var lower = new double[6];
        var upper = new double[6];
        model.Forecast(value, lower, upper);

        // The bucket in progress is step 1, so a lead of k steps is the model's step k + 1.
        for (int k = 0; k < 4; k++)
        {
            var f = forecaster.Forecast(now, Step * k)!;
            Assert.Equal(value[k], f.Value);
            Assert.Equal(lower[k], f.Lower);
            Assert.Equal(upper[k], f.Upper);
        }
    }

    [Fact]
    public void WhenRetrainingsComeThenItRefitsDailyAndTunesAgainOnlyOnTheRetuneScheduleOnTheKeptHistory()
    {
        var options = new SsaLoadForecasterOptions { TrainSize = 120, RetrainEvery = 24, RetuneEvery = 48, TuneHistorySize = 200, AutoTune = true, TuneHorizon = 6 };
        var forecaster = new SsaLoadForecaster(options);
        var load = Load(260);

        Feed(forecaster, load, 0, 121);
        Assert.Equal((1, 1), (forecaster.Trainings, forecaster.Tunings));
        var first = forecaster.Tuning;

        // 24 more steps: a refit of the same choice, no tuning.
        Feed(forecaster, load, 121, 24);
        Assert.Equal((2, 1), (forecaster.Trainings, forecaster.Tunings));
        Assert.Same(first, forecaster.Tuning);

        // 96 steps after the first training: retrainings at +24, +48 (tuned), +72, +96 (tuned).
        Feed(forecaster, load, 145, 72);
        Assert.Equal((5, 3), (forecaster.Trainings, forecaster.Tunings));

        // The history grew past TrainSize up to TuneHistorySize, and the last tuning used exactly those rows.
        var rows = load[16..216];
        Assert.Equal(rows, forecaster.History);
        var expected = SsaAutoTuner.Tune(rows, 6, confidenceLevel: 0.7f);
        Assert.Equal(expected.Describe(), forecaster.Tuning!.Describe());
        Assert.Equal((expected.WindowSize, expected.Rank, expected.BoundScale, expected.Score), (forecaster.Tuning.WindowSize, forecaster.Tuning.Rank, forecaster.Tuning.BoundScale, forecaster.Tuning.Score));
        Assert.True(forecaster.TuningTime > TimeSpan.Zero);
        Assert.Equal(0, forecaster.TuningFailures);
    }

    [Fact]
    public void WhenNotTunedThenTheHistoryStaysAtTrainSizeAndTheModelIsPlainSsa()
    {
        var forecaster = new SsaLoadForecaster(new SsaLoadForecasterOptions { TrainSize = 120, RetrainEvery = 24 });
        var load = Load(200);
        Feed(forecaster, load, 0, 150);
        Assert.Equal(120, forecaster.History.Count);
        Assert.Null(forecaster.Tuning);
        Assert.Equal((2, 0), (forecaster.Trainings, forecaster.Tunings));
        Assert.Equal("ssa", forecaster.Forecast(Start + (Step * 149), Step)!.Model);
    }

    [Theory]
    [InlineData(100, 48, 12, 200, "TuneHistorySize (100) must be at least TrainSize (288)")]
    [InlineData(2016, -1, 12, 200, "RetuneEvery must be at least 0")]
    [InlineData(2016, 48, 0, 200, "TuneHorizon must be at least 1 step (got 0)")]
    [InlineData(2016, 48, 12, -1, "RecalibrationWindow must be at least 0")]
    public void WhenATuningSettingIsOutOfRangeThenTheForecasterRefusesItNamingIt(int history, int retune, int horizon, int recalibration, string message)
    {
        var options = new SsaLoadForecasterOptions { AutoTune = true, TuneHistorySize = history, RetuneEvery = retune, TuneHorizon = horizon, RecalibrationWindow = recalibration };
        var e = Assert.Throws<ArgumentException>(() => new SsaLoadForecaster(options));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);

        // Without AutoTune the tuning settings are not used, so they do not fail a plain forecaster.
        options.AutoTune = false;
        Assert.False(new SsaLoadForecaster(options).IsReady);
    }

    [Fact]
    public void WhenAPolicyConfigAsksForTuningThenTheForecasterOptionsCarryIt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"policy": "predictive", "forecaster": {"auto_tune": true, "tune_history_size": 4032, "retune_every": 288, "tune_horizon": 6, "recalibration_window": 0}}""");
        try
        {
            var policy = SimulationPolicy.Parse(path);
            Assert.Equal(SimulationPolicyKind.Predictive, policy.Kind);
            Assert.Null(policy.Predictive);
            var f = policy.Forecaster!;
            Assert.Equal((true, 4032, 288, 6, 0, 288), (f.AutoTune, f.TuneHistorySize, f.RetuneEvery, f.TuneHorizon, f.RecalibrationWindow, f.TrainSize));

            File.WriteAllText(path, """{"policy": "predictive", "forecaster": {"auto_tun": true}}""");
            var e = Assert.Throws<ArgumentException>(() => SimulationPolicy.Parse(path));
            Assert.Contains("auto_tun", e.Message, StringComparison.Ordinal);

            // A setting out of range fails when the config is read, naming the file and the section.
            File.WriteAllText(path, """{"policy": "predictive", "forecaster": {"auto_tune": true, "tune_history_size": 100}}""");
            e = Assert.Throws<ArgumentException>(() => SimulationPolicy.Parse(path));
            Assert.StartsWith($"{path}: \"forecaster\": SsaLoadForecasterOptions: TuneHistorySize (100)", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
