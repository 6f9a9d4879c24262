namespace MetricsPipeline.Forecasting;

/// <summary>Parameters chosen by <see cref="SsaAutoTuner"/>.</summary>
/// <param name="WindowSize">Chosen SSA window length.</param>
/// <param name="MaxRank">Chosen rank cap (keeps Exact selection fast on long windows).</param>
/// <param name="Season">Detected season (−1 if none).</param>
/// <param name="Score">Mean MASE of the chosen candidate in the inner backtest (NaN if no backtest ran).</param>
public sealed record SsaTuning(int WindowSize, int MaxRank, int Season, double Score);
