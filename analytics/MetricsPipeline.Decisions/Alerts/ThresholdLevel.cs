namespace MetricsPipeline.Decisions.Alerts;

/// <summary>One level of a threshold rule: fires beyond <paramref name="Threshold"/>, clears only back past <paramref name="Reset"/> (hysteresis).</summary>
/// <param name="Severity">The level.</param>
/// <param name="Threshold">Fires when the value is beyond it (above, or below for a falling rule).</param>
/// <param name="Reset">The level clears only when the value is back past it; between the two the level holds.</param>
public sealed record ThresholdLevel(AlertSeverity Severity, double Threshold, double Reset);
