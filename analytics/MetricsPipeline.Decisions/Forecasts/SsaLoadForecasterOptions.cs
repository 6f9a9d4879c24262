using MetricsPipeline.Forecasting;

namespace MetricsPipeline.Decisions.Forecasts;

/// <summary>Settings of <see cref="SsaLoadForecaster"/>. Do not change after handing to a forecaster.</summary>
public sealed class SsaLoadForecasterOptions
{
    /// <summary>The forecaster's step: observations are averaged into buckets of this length. The default is 5 minutes.</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>SSA window length L, in steps. The default is 24 (2 hours at 5-minute steps).</summary>
    public int WindowSize { get; set; } = 24;

    /// <summary>Steps of history the model trains on; the forecaster is not ready before it has them. The default is 288 (1 day).</summary>
    public int TrainSize { get; set; } = 288;

    /// <summary>Retrain on the latest <see cref="TrainSize"/> steps every this many steps; 0 never retrains. The default is 288.</summary>
    public int RetrainEvery { get; set; } = 288;

    /// <summary>
    /// Two-sided confidence level of the bounds; the upper bound is its (1 + level) / 2 quantile. The default is 0.7
    /// (upper = 85th percentile): with the 30-minute scale-in stabilisation of the predictive policy, 0.8 cost 1–5 %
    /// more on the development traces for slightly fewer violation minutes, and 0.95 cost 5–15 % more still.
    /// </summary>
    public double ConfidenceLevel { get; set; } = 0.7;

    /// <summary>
    /// Whether each (re)training chooses the model with <see cref="SsaAutoTuner"/> on the history, as the stream's
    /// <c>retrain</c> job does (window, rank, season, naive combination, log scale, autoregression, bound scale);
    /// <see cref="WindowSize"/> is then only the floor of <see cref="TrainSize"/>'s check. Tuning costs seconds per
    /// training (see the README). The default is false: plain SSA with <see cref="WindowSize"/>.
    /// </summary>
    public bool AutoTune { get; set; }

    /// <summary>
    /// With <see cref="AutoTune"/>, the most steps of history kept and tuned on: the first training waits for
    /// <see cref="TrainSize"/> steps as before, later ones use up to this many (a weekly season needs more than one
    /// day to be seen). Without <see cref="AutoTune"/> it is not used. The default is 2016 (7 days of 5-minute steps).
    /// </summary>
    public int TuneHistorySize { get; set; } = 2016;

    /// <summary>
    /// With <see cref="AutoTune"/>, tune again only when this many steps have passed since the last tuning; the
    /// retrainings in between (<see cref="RetrainEvery"/>) refit the chosen model on the latest history, as the stream
    /// refits a stored model's configuration. 0 tunes at the first training only. The default is 2016 (weekly): one
    /// tuning on a week of 5-minute steps takes tens of seconds on a 2-core machine, so a daily tuning made a 66-day
    /// trace's run take most of an hour.
    /// </summary>
    public int RetuneEvery { get; set; } = 2016;

    /// <summary>
    /// With <see cref="AutoTune"/>, the forecast steps the tuner scores (capped at a tenth of the history, as the
    /// <c>retrain</c> job caps its own). The default is 12 (1 hour of 5-minute steps: the policy looks at most
    /// 10 minutes ahead, and a longer horizon makes each tuning slower).
    /// </summary>
    public int TuneHorizon { get; set; } = 12;

    /// <summary>
    /// With <see cref="AutoTune"/>, the tuned model's online bound recalibration window in steps
    /// (<see cref="SsaForecasterOptions.RecalibrationWindow"/>; 0 = off), as the stream's models have it. Without
    /// <see cref="AutoTune"/> it is not used. The default is <see cref="SsaForecasterOptions.DefaultRecalibrationWindow"/> (200).
    /// </summary>
    public int RecalibrationWindow { get; set; } = SsaForecasterOptions.DefaultRecalibrationWindow;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Step <= TimeSpan.Zero || WindowSize < 2 || TrainSize <= 2 * WindowSize || RetrainEvery < 0 || ConfidenceLevel is <= 0 or >= 1)
        {
            throw new ArgumentException("SsaLoadForecasterOptions: Step > 0, WindowSize ≥ 2, TrainSize > 2 × WindowSize, RetrainEvery ≥ 0, 0 < ConfidenceLevel < 1.");
        }

        if (AutoTune && TuneHistorySize < TrainSize)
        {
            throw new ArgumentException($"SsaLoadForecasterOptions: TuneHistorySize ({TuneHistorySize}) must be at least TrainSize ({TrainSize}): the tuner trains on the kept history.");
        }

        if (AutoTune && RetuneEvery < 0)
        {
            throw new ArgumentException($"SsaLoadForecasterOptions: RetuneEvery must be at least 0 (0 = tune at the first training only; got {RetuneEvery}).");
        }

        if (AutoTune && TuneHorizon < 1)
        {
            throw new ArgumentException($"SsaLoadForecasterOptions: TuneHorizon must be at least 1 step (got {TuneHorizon}).");
        }

        if (AutoTune && RecalibrationWindow < 0)
        {
            throw new ArgumentException($"SsaLoadForecasterOptions: RecalibrationWindow must be at least 0 (0 = off; got {RecalibrationWindow}).");
        }
    }
}
