namespace MetricsPipeline.Forecasting;

/// <summary>Result of <see cref="Backtester.Run"/>.</summary>
/// <param name="Season">Season used by the seasonal-naive baseline and the MASE scale.</param>
/// <param name="Horizon">Forecast horizon.</param>
/// <param name="TrainSize">Rows used to train the model before the first origin.</param>
/// <param name="Origins">Number of forecast origins evaluated.</param>
/// <param name="WindowSize">Effective SSA window length.</param>
/// <param name="Rank">Selected SSA rank.</param>
/// <param name="Steps">Per-step errors, step 1 first.</param>
public sealed record BacktestReport(int Season, int Horizon, int TrainSize, int Origins, int WindowSize, int Rank, IReadOnlyList<BacktestStep> Steps)
{
    /// <summary>Mean of the per-step SSA MASE (a single score for model selection).</summary>
    public double MeanMase => Steps.Count == 0 ? double.NaN : Steps.Average(s => s.Mase);
}
