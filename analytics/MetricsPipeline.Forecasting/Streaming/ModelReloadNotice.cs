namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>What <see cref="StreamForecastEngine"/> did with a model-store version (<see cref="StreamForecastEngine.ModelNotice"/>).</summary>
/// <param name="SeriesKey">The series.</param>
/// <param name="Version">The store version (0 when the failure came before a version was known).</param>
/// <param name="Adopted">True when the version now forecasts the series; false when it was rejected or could not be read.</param>
/// <param name="Message">One sentence for a log, starting with the series key.</param>
public sealed record ModelReloadNotice(string SeriesKey, int Version, bool Adopted, string Message);
