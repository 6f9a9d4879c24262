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

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Step <= TimeSpan.Zero || WindowSize < 2 || TrainSize <= 2 * WindowSize || RetrainEvery < 0 || ConfidenceLevel is <= 0 or >= 1)
        {
            throw new ArgumentException("SsaLoadForecasterOptions: Step > 0, WindowSize ≥ 2, TrainSize > 2 × WindowSize, RetrainEvery ≥ 0, 0 < ConfidenceLevel < 1.");
        }
    }
}
