namespace MetricsPipeline.Decisions.Forecasts;

/// <summary>A load forecast at a lead time. Immutable.</summary>
/// <param name="At">When the forecast was made.</param>
/// <param name="Lead">How far ahead it looks.</param>
/// <param name="Value">The point forecast at the lead time.</param>
/// <param name="Lower">The lower confidence bound at the same step.</param>
/// <param name="Upper">The upper confidence bound at the lead time: what capacity is sized for.</param>
/// <param name="ConfidenceLevel">The confidence level of the bounds, in (0, 1).</param>
/// <param name="Model">The model name, e.g. <c>ssa</c>.</param>
public sealed record LoadForecast(DateTimeOffset At, TimeSpan Lead, double Value, double Lower, double Upper, double ConfidenceLevel, string Model)
{
    /// <summary>
    /// Confidence in the forecast, in [0, 1]: one minus the bound's relative half-width, so a tight interval around
    /// a large value is near 1 and an interval as wide as the value is 0.
    /// </summary>
    public double Confidence => Value > 0 ? Math.Clamp(1 - ((Upper - Lower) / (2 * Value)), 0, 1) : 0;
}
