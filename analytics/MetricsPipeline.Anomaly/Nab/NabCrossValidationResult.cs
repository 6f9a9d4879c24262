namespace MetricsPipeline.Anomaly.Nab;

/// <summary>
/// A cross-validated NAB score under one profile: every file is scored exactly once, by the configuration and threshold
/// chosen without it; the held-out totals are summed and normalised over all windows like an in-sample NAB score.
/// </summary>
/// <param name="Profile">The profile name.</param>
/// <param name="Folds">The number of folds K.</param>
/// <param name="RawScore">The sum of the held-out raw totals.</param>
/// <param name="NormalizedScore">NAB's normalisation of <paramref name="RawScore"/> over the corpus' windows.</param>
/// <param name="FoldResults">What each fold chose and scored.</param>
public sealed record NabCrossValidationResult(string Profile, int Folds, double RawScore, double NormalizedScore, IReadOnlyList<NabFoldResult> FoldResults);
