namespace MetricsPipeline.Decisions.Commands;

/// <summary>The forecast carried in a predictive scaling command. Immutable.</summary>
/// <param name="Metric">The forecast metric, e.g. <c>request_rate</c>.</param>
/// <param name="LeadTimeSeconds">How far ahead the forecast looks, in seconds.</param>
/// <param name="Value">The point forecast at the lead time.</param>
/// <param name="Lower">The lower confidence bound.</param>
/// <param name="Upper">The upper confidence bound (the value capacity is sized for).</param>
/// <param name="ConfidenceLevel">The confidence level of the bounds, in (0, 1).</param>
/// <param name="Model">The forecasting model, e.g. <c>ssa</c>.</param>
public sealed record ForecastInfo(string Metric, double LeadTimeSeconds, double Value, double Lower, double Upper, double ConfidenceLevel, string Model);
