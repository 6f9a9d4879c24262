namespace MetricsPipeline.Forecasting;

/// <summary>
/// Chooses the window automatically from the training rows only: detect the season, propose windows (more than twice
/// the season, as ML.NET advises, plus generic lengths), and keep the one with the lowest mean MASE in a rolling-origin
/// backtest inside the training rows (first 70 % to fit, the rest to evaluate).
/// </summary>
public static class SsaAutoTuner
{
    /// <summary>Largest rank considered by tuned models; Exact selection cost grows with it.</summary>
    public const int DefaultMaxRank = 40;

    /// <summary>Tunes on <paramref name="training"/>. A given <paramref name="windowSize"/> or <paramref name="season"/> is kept.</summary>
    /// <exception cref="ArgumentException">Too few rows for any window.</exception>
    public static SsaTuning Tune(ReadOnlySpan<double> training, int horizon, int? windowSize = null, int? season = null, IProgress<string>? progress = null)
    {
        int n = training.Length;
        int detected = season ?? SeasonalityDetector.Detect(training);
        progress?.Report($"season: {detected}");
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
                candidates.Add((2 * detected) + 1);
                candidates.Add(detected + 1);
            }

            candidates.Add(12);
            candidates.Add(24);
            candidates.Add(48);
            candidates.RemoveWhere(l => l < 2 || 2 * l >= innerTrain - horizon);
        }

        if (candidates.Count == 0)
        {
            int l = Math.Max(2, (n / 3) - 1);
            if (2 * l >= n)
            {
                throw new ArgumentException($"Too few rows ({n}) to train an SSA model.", nameof(training));
            }

            return new SsaTuning(l, Math.Min(l - 1, DefaultMaxRank), detected, double.NaN);
        }

        if (candidates.Count == 1 || n - innerTrain < horizon + 2)
        {
            int only = candidates.Max;
            return new SsaTuning(only, Math.Min(only - 1, DefaultMaxRank), detected, double.NaN);
        }

        SsaTuning? best = null;
        foreach (int l in candidates)
        {
            var options = new SsaForecasterOptions
            {
                WindowSize = l, SeriesLength = l + 1, TrainSize = innerTrain, Horizon = horizon, MaxRank = Math.Min(l - 1, DefaultMaxRank),
            };
            int stride = Math.Max(1, (n - innerTrain) / 300);
            var report = Backtester.Run(training, options, detected > 1 ? detected : 1, stride);
            progress?.Report($"window {l}: inner-backtest mean MASE {report.MeanMase:F4}");
            if (best is null || report.MeanMase < best.Score)
            {
                best = new SsaTuning(l, options.MaxRank.Value, detected, report.MeanMase);
            }
        }

        return best!;
    }
}
