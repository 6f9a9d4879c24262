namespace MetricsPipeline.Analytics.Windows;

/// <summary>The statistics of one field over one closed window.</summary>
/// <param name="Field">The source field name.</param>
/// <param name="Count">How many values the window received.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Quantiles">One value per configured quantile, in the configured order.</param>
public sealed record WindowFieldStats(string Field, long Count, double Sum, double Min, double Max, double[] Quantiles)
{
    /// <summary>The arithmetic mean, <see cref="Sum"/> / <see cref="Count"/>.</summary>
    public double Mean => Count == 0 ? double.NaN : Sum / Count;
}
