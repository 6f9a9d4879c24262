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
/// <param name="Model">
/// The chosen model as <see cref="SsaTuning.Describe"/> words it, e.g. <c>ssa + ar(1-3, 23-25), naive weight per step 1/0.5</c>
/// (null in metadata written before session 12).
/// </param>
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
    bool Force = false,
    string? Model = null)
{
    /// <summary>The version as tags carry it: <c>v{N}</c>.</summary>
    public string VersionTag => $"v{Version}";

    /// <summary>
    /// True when this model may replace one scoring <paramref name="currentScore"/>: forced, or the current score is
    /// unknown (NaN: trained in the stream), or this one is known and not worse.
    /// </summary>
    public bool Beats(double currentScore, bool acceptWorse) =>
        acceptWorse || Force || double.IsNaN(currentScore) || (!double.IsNaN(Score) && Score <= currentScore);

    /// <summary>
    /// The mean of the backtest coverage of the bounds over the horizon steps (the share of held-out values inside the
    /// bounds; steps without a finite value left out), or NaN when there is none.
    /// </summary>
    public double MeanCoverage()
    {
        var finite = (Coverage ?? []).Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }

    /// <summary>
    /// Why this model must not replace <paramref name="current"/> (null: it may). The coverage guard comes first: a
    /// model whose <see cref="MeanCoverage"/> is below <paramref name="minCoverage"/> (bounds far too narrow) does not
    /// replace one whose coverage is known and at least <paramref name="minCoverage"/>, whatever its MASE, unless it
    /// is forced; then <see cref="Beats"/> decides on the score.
    /// </summary>
    /// <param name="current">The running (or kept) model's metadata; null when it was trained in the stream (no score, no coverage).</param>
    /// <param name="currentScore">The running model's score (NaN when unknown).</param>
    /// <param name="acceptWorse">Accept a worse score (<see cref="Streaming.StreamForecastOptions.AcceptWorseModels"/>); it does not lift the coverage guard.</param>
    /// <param name="minCoverage">The lowest acceptable mean coverage (0 turns the guard off).</param>
    /// <param name="currentName">How the reason names the current model (e.g. <c>the running v1</c>).</param>
    public string? WhyNotAdopted(ModelMetadata? current, double currentScore, bool acceptWorse, double minCoverage, string currentName)
    {
        if (Force)
        {
            return null;
        }

        var coverage = MeanCoverage();
        var currentCoverage = current?.MeanCoverage() ?? double.NaN;
        if (coverage < minCoverage && currentCoverage >= minCoverage)
        {
            return string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"its bounds cover {coverage:P1} of the backtest values (mean over the horizon), below the {minCoverage:P0} of Analytics:Forecasting:MinModelCoverage, where {currentName}'s cover {currentCoverage:P1}");
        }

        return Beats(currentScore, acceptWorse)
            ? null
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it scores {Score:F4} (mean MASE), worse than {currentName}'s {currentScore:F4}");
    }
}
