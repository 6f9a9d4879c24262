namespace MetricsPipeline.Forecasting;

/// <summary>Parameters chosen by <see cref="SsaAutoTuner"/>.</summary>
/// <param name="WindowSize">Chosen SSA window length.</param>
/// <param name="MaxRank">Chosen rank cap (keeps Exact selection fast on long windows).</param>
/// <param name="Season">Detected season (−1 if none).</param>
/// <param name="Score">Mean MASE of the chosen candidate in the inner backtest (NaN if no backtest ran).</param>
/// <param name="BoundScale">Bound calibration from the inner backtest, clamped to [0.5, 4] (1 if no backtest ran).</param>
/// <param name="Rank">
/// Fixed rank chosen by the inner backtest, or null when ML.NET's Exact selection scored best (or no backtest ran).
/// Apply it with <see cref="ApplyRank"/>.
/// </param>
public sealed record SsaTuning(int WindowSize, int MaxRank, int Season, double Score, double BoundScale = 1.0, int? Rank = null)
{
    /// <summary>
    /// Sets <paramref name="options"/> to the chosen fixed rank (method Fixed, MaxRank raised to it if needed) when the
    /// tuner chose one for this window; otherwise leaves the options unchanged.
    /// </summary>
    public void ApplyRank(SsaForecasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Rank is not { } rank || options.WindowSize != WindowSize || rank >= options.WindowSize)
        {
            return;
        }

        options.RankSelectionMethod = RankSelectionMethod.Fixed;
        options.Rank = rank;
        if (options.MaxRank is { } cap && cap < rank)
        {
            options.MaxRank = rank;
        }
    }
}
