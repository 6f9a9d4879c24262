namespace MetricsPipeline.Forecasting.Store;

/// <summary>What the model store records beside each checkpoint (<c>v{N}.json</c>).</summary>
/// <param name="SeriesKey">The series the model forecasts.</param>
/// <param name="Version">The version number (1, 2, …; increasing per series).</param>
/// <param name="Score">The backtest's mean MASE over the horizon steps (lower is better; NaN when no backtest was possible).</param>
/// <param name="Mase">Backtest MASE per horizon step.</param>
/// <param name="Smape">Backtest sMAPE per horizon step.</param>
/// <param name="Coverage">Backtest empirical coverage of the bounds per horizon step.</param>
/// <param name="WindowSize">The chosen SSA window.</param>
/// <param name="Rank">The selected rank.</param>
/// <param name="Season">The detected season (−1 if none).</param>
/// <param name="TrainedThroughNs">Start of the last window the model has consumed (Unix ns); the stream catches up from there.</param>
/// <param name="TrainedPoints">Number of windows the model was fitted on.</param>
/// <param name="CreatedAt">When the checkpoint was written.</param>
/// <param name="Force">Load even if it scores worse than the running model (<c>retrain --promote</c>).</param>
public sealed record ModelMetadata(
    string SeriesKey,
    int Version,
    double Score,
    double[] Mase,
    double[] Smape,
    double[] Coverage,
    int WindowSize,
    int Rank,
    int Season,
    long TrainedThroughNs,
    int TrainedPoints,
    DateTimeOffset CreatedAt,
    bool Force = false)
{
    /// <summary>The version as tags carry it: <c>v{N}</c>.</summary>
    public string VersionTag => $"v{Version}";

    /// <summary>
    /// True when this model may replace one scoring <paramref name="currentScore"/>: forced, or the current score is
    /// unknown (NaN: trained in the stream), or this one is known and not worse.
    /// </summary>
    public bool Beats(double currentScore, bool acceptWorse) =>
        acceptWorse || Force || double.IsNaN(currentScore) || (!double.IsNaN(Score) && Score <= currentScore);
}
