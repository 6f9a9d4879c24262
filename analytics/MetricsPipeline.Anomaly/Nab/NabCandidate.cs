namespace MetricsPipeline.Anomaly.Nab;

/// <summary>One detector configuration's anomaly scores over a corpus, a candidate for cross-validated selection.</summary>
/// <param name="Name">A label for the configuration, e.g. "auto" or "auto refractory-length=60".</param>
/// <param name="Scores">The anomaly scores per file, in the corpus' file order.</param>
public sealed record NabCandidate(string Name, IReadOnlyList<double[]> Scores);
