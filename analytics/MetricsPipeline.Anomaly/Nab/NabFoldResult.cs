namespace MetricsPipeline.Anomaly.Nab;

/// <summary>One fold of a cross-validated NAB evaluation under one profile.</summary>
/// <param name="Fold">The fold index, from 0.</param>
/// <param name="HeldOut">The files scored in this fold (not used for any choice made in it).</param>
/// <param name="Candidate">The configuration chosen on the other folds.</param>
/// <param name="Threshold">The threshold chosen on the other folds.</param>
/// <param name="TrainingRawScore">The raw NAB total of the chosen configuration and threshold on the other folds.</param>
/// <param name="HeldOutRawScore">The raw NAB total of the held-out files at that configuration and threshold.</param>
/// <param name="HeldOutWindows">The number of windows in the held-out files.</param>
public sealed record NabFoldResult(int Fold, IReadOnlyList<string> HeldOut, string Candidate, double Threshold, double TrainingRawScore, double HeldOutRawScore, int HeldOutWindows);
