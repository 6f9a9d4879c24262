namespace MetricsPipeline.Anomaly.Nab;

/// <summary>The score of one file at one threshold; the row counts are informational, as in NAB's result CSVs.</summary>
/// <param name="Name">The file's relative path.</param>
/// <param name="Score">The raw file score.</param>
/// <param name="TruePositives">Detected rows inside windows.</param>
/// <param name="FalsePositives">Detected rows outside windows.</param>
/// <param name="FalseNegatives">Undetected rows inside windows.</param>
/// <param name="TrueNegatives">Undetected rows outside windows.</param>
/// <param name="DetectedWindows">Windows with at least one detection.</param>
/// <param name="Windows">Windows in the file.</param>
public sealed record NabFileScore(string Name, double Score, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives, int DetectedWindows, int Windows);
