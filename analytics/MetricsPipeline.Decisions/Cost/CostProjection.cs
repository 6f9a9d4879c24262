namespace MetricsPipeline.Decisions.Cost;

/// <summary>Projected spend over a range of days. Immutable.</summary>
/// <param name="From">First projected day.</param>
/// <param name="To">Last projected day.</param>
/// <param name="Cost">Projected spend over [From, To].</param>
/// <param name="Lower">Lower bound (≈ 95 %).</param>
/// <param name="Upper">Upper bound (≈ 95 %).</param>
/// <param name="DailyGrowthRate">Fitted growth per day (0.01 = +1 %/day).</param>
/// <param name="Confidence">Confidence in [0, 1]: the fit's R² (of the models used, blended), 1 for an exact fit (spend that does not vary at all), 0 with too little history.</param>
public sealed record CostProjection(DateOnly From, DateOnly To, double Cost, double Lower, double Upper, double DailyGrowthRate, double Confidence);
