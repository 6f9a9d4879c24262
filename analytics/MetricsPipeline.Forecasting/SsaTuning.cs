namespace MetricsPipeline.Forecasting;

/// <summary>Parameters chosen by <see cref="SsaAutoTuner"/>.</summary>
/// <param name="WindowSize">Chosen SSA window length.</param>
/// <param name="MaxRank">Chosen rank cap (keeps Exact selection fast on long windows).</param>
/// <param name="Season">Detected season (−1 if none).</param>
/// <param name="Score">Mean MASE of the chosen candidate in the inner backtest (NaN if no backtest ran).</param>
/// <param name="BoundScale">Bound calibration from the inner backtest, clamped to [0.5, 4] (1 if no backtest ran).</param>
/// <param name="Rank">
/// Fixed rank chosen by the inner backtest (when ML.NET's Exact selection scored best, the rank it selected on the inner
/// rows), or null when no backtest ran.
/// Apply it with <see cref="ApplyRank"/>.
/// </param>
/// <param name="NaiveWeight">Weight of the naive forecast in the chosen combination (0: pure SSA); see <see cref="SsaForecasterOptions.NaiveWeight"/>.</param>
/// <param name="NaiveSeason">Period of that naive forecast (1: last value); see <see cref="SsaForecasterOptions.NaiveSeason"/>.</param>
/// <param name="NaiveStepWeights">Per-step naive weights when they differ between steps (null: <paramref name="NaiveWeight"/> for all); see <see cref="SsaForecasterOptions.NaiveStepWeights"/>.</param>
/// <param name="NaiveMedianLength">
/// When positive, the naive forecast is the median of the last that many values instead of the (seasonal) naive value
/// (0: off); see <see cref="SsaForecasterOptions.NaiveMedianLength"/>.
/// </param>
/// <param name="NaiveLevelShare">
/// Share of the last value inside a seasonal-naive or median naive forecast (0: off); see
/// <see cref="SsaForecasterOptions.NaiveLevelShare"/>.
/// </param>
/// <param name="LogOffset">
/// The log transform's offset when the tuner chose the model on the log scale (null: the data's scale); see
/// <see cref="SsaForecasterOptions.LogOffset"/>.
/// </param>
/// <param name="NaiveAutoregressive">
/// Whether the naive forecast is the least-squares autoregression on lags 1–3 and, with a season, s − 1, s and s + 1
/// (false: off); see <see cref="SsaForecasterOptions.NaiveAutoregressive"/>.
/// </param>
/// <param name="AutoregressiveOverlayWeights">
/// Per-step weights of the autoregressive overlay on the chosen forecast (null: off); see
/// <see cref="SsaForecasterOptions.AutoregressiveOverlayWeights"/>.
/// </param>
/// <param name="AutoregressiveOverlaySeason">The overlay's season; see <see cref="SsaForecasterOptions.AutoregressiveOverlaySeason"/>.</param>
public sealed record SsaTuning(int WindowSize, int MaxRank, int Season, double Score, double BoundScale = 1.0, int? Rank = null, double NaiveWeight = 0, int NaiveSeason = 1, IReadOnlyList<double>? NaiveStepWeights = null, int NaiveMedianLength = 0, double NaiveLevelShare = 0, double? LogOffset = null, bool NaiveAutoregressive = false, IReadOnlyList<double>? AutoregressiveOverlayWeights = null, int AutoregressiveOverlaySeason = 1)
{
    /// <summary>
    /// A short description of the chosen model for reports, e.g. <c>ssa</c>, <c>0.5 ssa + 0.5 seasonal-naive(24)</c>,
    /// <c>ssa + level, naive weight per step 1/0.75/0.5/0</c>, <c>ssa + median(3), naive weight per step 1/0.5/0</c> or,
    /// with a level share, <c>ssa + (0.5 level + 0.5 median(96)), naive weight per step 1/0.5/0.25</c>; with the
    /// autoregression, <c>0.5 ssa + 0.5 ar(1-3, 23-25)</c>; a model on the log
    /// scale ends with <c> on ln(x + c)</c>, e.g. <c>ssa on ln(x + 0.0012)</c>.
    /// </summary>
    public string Describe() => LogOffset is { } c
        ? DescribeWithOverlay() + FormattableString.Invariant($" on ln(x + {c:G4})")
        : DescribeWithOverlay();

    private string DescribeWithOverlay() => AutoregressiveOverlayWeights is { } v
        ? $"({DescribeCombination()}) with {ArKind(AutoregressiveOverlaySeason)} overlaid, weight per step {string.Join('/', v.Select(w => w.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)))}"
        : DescribeCombination();

    private static string ArKind(int season) => season > 4 ? FormattableString.Invariant($"ar(1-3, {season - 1}-{season + 1})") : "ar(1-3)";

    private string DescribeCombination() => NaiveStepWeights is { } steps
        ? $"ssa + {Naive()}, naive weight per step {string.Join('/', steps.Select(w => w.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)))}"
        : NaiveWeight <= 0 ? "ssa"
        : NaiveWeight >= 1 ? Naive()
        : FormattableString.Invariant($"{1 - NaiveWeight:0.##} ssa + {NaiveWeight:0.##} {Naive()}");

    /// <summary>
    /// Sets <paramref name="options"/> to the chosen forecast combination (<see cref="SsaForecasterOptions.NaiveWeight"/>,
    /// <see cref="SsaForecasterOptions.NaiveStepWeights"/>, <see cref="SsaForecasterOptions.NaiveSeason"/>,
    /// <see cref="SsaForecasterOptions.NaiveMedianLength"/>, <see cref="SsaForecasterOptions.NaiveLevelShare"/>, <see cref="SsaForecasterOptions.NaiveAutoregressive"/> and the overlay) when the tuner chose one for this window,
    /// and to the chosen scale (<see cref="SsaForecasterOptions.LogOffset"/>).
    /// </summary>
    public void ApplyCombination(SsaForecasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WindowSize != WindowSize || options.Compatibility != SsaCompatibility.Default)
        {
            return;
        }

        options.NaiveWeight = NaiveWeight;
        options.NaiveSeason = NaiveSeason;
        options.NaiveStepWeights = NaiveStepWeights;
        options.NaiveMedianLength = NaiveMedianLength;
        options.NaiveLevelShare = NaiveLevelShare;
        options.LogOffset = LogOffset;
        options.NaiveAutoregressive = NaiveAutoregressive;
        options.AutoregressiveOverlayWeights = AutoregressiveOverlayWeights;
        options.AutoregressiveOverlaySeason = AutoregressiveOverlaySeason;
    }

    private string Naive() => NaiveLevelShare > 0 && (NaiveMedianLength > 0 || NaiveSeason > 1)
        ? FormattableString.Invariant($"({NaiveLevelShare:0.##} level + {1 - NaiveLevelShare:0.##} {Kind()})")
        : Kind();

    private string Kind() => NaiveAutoregressive ? ArKind(NaiveSeason)
        : NaiveMedianLength > 0 ? FormattableString.Invariant($"median({NaiveMedianLength})")
        : NaiveSeason > 1 ? FormattableString.Invariant($"seasonal-naive({NaiveSeason})") : "level";

    /// <summary>
    /// The options of the chosen model as the stream serves it (the <c>retrain</c> job's stored models and the
    /// simulator's tuned forecaster): the tuned window, rank cap, bound scale, rank and combination, a variable
    /// horizon, and <paramref name="recalibrationWindow"/>. <see cref="SsaForecasterOptions.TrainSize"/> is left for the
    /// caller to set.
    /// </summary>
    /// <param name="horizon">The trained horizon.</param>
    /// <param name="confidenceLevel">The bounds' confidence level.</param>
    /// <param name="recalibrationWindow">The online bound recalibration window (0 = off).</param>
    public SsaForecasterOptions ServingOptions(int horizon, float confidenceLevel, int recalibrationWindow)
    {
        var options = new SsaForecasterOptions
        {
            WindowSize = WindowSize,
            SeriesLength = WindowSize + 1,
            Horizon = horizon,
            MaxRank = MaxRank,
            BoundScale = BoundScale,
            ConfidenceLevel = confidenceLevel,
            VariableHorizon = true,
            RecalibrationWindow = recalibrationWindow,
        };
        ApplyRank(options);
        ApplyCombination(options);
        return options;
    }

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
