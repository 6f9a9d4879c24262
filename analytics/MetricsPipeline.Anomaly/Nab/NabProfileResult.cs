namespace MetricsPipeline.Anomaly.Nab;

/// <summary>A detector's result under one profile: the corpus-optimal threshold, the raw and normalised scores, per-file scores.</summary>
/// <param name="Profile">The profile name.</param>
/// <param name="Threshold">The threshold chosen by the sweep over the whole corpus.</param>
/// <param name="RawScore">The corpus total S.</param>
/// <param name="NormalizedScore">100 (S − S_null) / (S_perfect − S_null).</param>
/// <param name="Files">The per-file scores and row counts at the threshold.</param>
public sealed record NabProfileResult(string Profile, double Threshold, double RawScore, double NormalizedScore, IReadOnlyList<NabFileScore> Files);
