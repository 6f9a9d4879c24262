using System.Collections.Concurrent;

namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>
/// A listener that keeps the latest forecast per (service, metric), for consumers that poll (a scaling loop on its
/// own timer). Thread-safe: written by the pipeline thread, read from any thread.
/// </summary>
public sealed class LatestForecasts : IForecastListener
{
    private readonly ConcurrentDictionary<(string Service, string Metric), ServiceForecast> _latest = new();

    /// <summary>The number of (service, metric) pairs seen.</summary>
    public int Count => _latest.Count;

    /// <inheritdoc />
    public void OnForecast(ServiceForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        _latest[(forecast.Service, forecast.Metric)] = forecast;
    }

    /// <summary>The latest forecast of <paramref name="metric"/> for <paramref name="service"/>, if any.</summary>
    public bool TryGet(string service, string metric, out ServiceForecast forecast) =>
        _latest.TryGetValue((service, metric), out forecast!);
}
