namespace MetricsPipeline.Forecasting;

/// <summary>
/// A bound on the trend growth: the series may grow at most by <see cref="Growth"/> over <see cref="TimeSpan"/>
/// points (ML.NET's <c>GrowthRatio</c>).
/// </summary>
/// <param name="TimeSpan">Number of points over which <paramref name="Growth"/> applies; at least 1.</param>
/// <param name="Growth">Maximum growth factor over <paramref name="TimeSpan"/> points; non-negative.</param>
public readonly record struct GrowthRatio(int TimeSpan, double Growth)
{
    /// <summary>The per-point growth bound, <c>Growth^(1/TimeSpan)</c>.</summary>
    public double Ratio => Math.Pow(Growth, 1.0 / TimeSpan);
}
