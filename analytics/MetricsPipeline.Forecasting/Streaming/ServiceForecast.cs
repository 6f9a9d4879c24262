namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>
/// One forecast made by the stream when a window closed: <see cref="Value"/>[k−1] forecasts the window that starts
/// <c>k</c> × <see cref="Step"/> after <see cref="Origin"/> (k = 1 … horizon), with its confidence bounds.
/// The arrays belong to the receiver (the stream does not reuse them).
/// </summary>
/// <param name="Service">The group the series was aggregated over, e.g. <c>api</c> (the value of the group tag; empty when ungrouped).</param>
/// <param name="Metric">The configured metric name, e.g. <c>request_rate</c>.</param>
/// <param name="SeriesKey">The full series key (measurement, field, statistic, window, group tags); the model store is keyed by it.</param>
/// <param name="Origin">Start of the last closed window the forecast has seen (UTC).</param>
/// <param name="Step">The window size: the spacing of the horizon steps.</param>
/// <param name="Value">Point forecasts, one per horizon step.</param>
/// <param name="Lower">Lower confidence bounds, one per horizon step.</param>
/// <param name="Upper">Upper confidence bounds, one per horizon step.</param>
/// <param name="ModelVersion">The model that made it: <c>online</c> (trained in the stream) or <c>v{N}</c> (from the model store).</param>
public sealed record ServiceForecast(
    string Service,
    string Metric,
    string SeriesKey,
    DateTimeOffset Origin,
    TimeSpan Step,
    double[] Value,
    double[] Lower,
    double[] Upper,
    string ModelVersion)
{
    /// <summary>The number of horizon steps.</summary>
    public int Horizon => Value.Length;

    /// <summary>The start of the window that step <paramref name="k"/> (1-based) forecasts.</summary>
    public DateTimeOffset TargetOf(int k) => Origin + (Step * k);
}
