using MetricsPipeline.Forecasting.Store;

namespace MetricsPipeline.Forecasting.Retraining;

/// <summary>The result of retraining one series.</summary>
/// <param name="SeriesKey">The series.</param>
/// <param name="Points">Windows available.</param>
/// <param name="Stored">The stored model's metadata, or null when the series was skipped.</param>
/// <param name="Reason">Why it was skipped (null when stored).</param>
public sealed record RetrainOutcome(string SeriesKey, int Points, ModelMetadata? Stored, string? Reason);
