namespace MetricsPipeline.Forecasting;

/// <summary>The chosen rank and the reconstructed signal used for the noise moments.</summary>
/// <param name="Rank">Selected signal rank.</param>
/// <param name="Signal">Reconstruction aligned to the end of the training data (all N points, or the tail).</param>
internal sealed record RankSelection(int Rank, double[] Signal);
