using MetricsPipeline.Forecasting.Streaming;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The forecast stage's recent forecasts per (service, metric), so that predictive scaling evaluates a snapshot with
/// the forecast made when that snapshot's window closed, not a later one: when one batch closes several minutes (a
/// catch-up, a replay after a takeover) the forecast stage has already forecast from all of them before the scaling
/// stage evaluates the first, and taking the latest would make commands depend on how the stream was cut into
/// batches. Keeps the latest too (<see cref="Latest"/>). Written by the pipeline thread; <see cref="Latest"/> is
/// thread-safe to read, the history is read on the pipeline thread only.
/// </summary>
internal sealed class ForecastHistory : IForecastListener
{
    // Entries are removed as the scaling stage moves past them (see TryGetBefore), so the history holds about one
    // batch's windows; the cap only bounds a metric nobody reads. A catch-up batch can close hours of windows at once
    // and every one of their forecasts must still be there when the scaling stage evaluates its window.
    private const int Cap = 100_000;
    private readonly Dictionary<(string Service, string Metric), List<ServiceForecast>> _recent = [];

    /// <summary>The latest forecast per (service, metric).</summary>
    public LatestForecasts Latest { get; } = new();

    /// <inheritdoc />
    public void OnForecast(ServiceForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        Latest.OnForecast(forecast);
        if (!_recent.TryGetValue((forecast.Service, forecast.Metric), out var list))
        {
            _recent[(forecast.Service, forecast.Metric)] = list = [];
        }

        list.Add(forecast);
        if (list.Count > Cap)
        {
            list.RemoveRange(0, list.Count - (Cap / 2));
        }
    }

    /// <summary>
    /// The newest forecast of <paramref name="metric"/> for <paramref name="service"/> made from windows that started
    /// before <paramref name="before"/> (a snapshot's end: its own window's forecast qualifies, later ones do not).
    /// Forecasts from older windows than the one returned are forgotten: the scaling stage evaluates a service's windows
    /// in order, so it will not ask for them again.
    /// </summary>
    public bool TryGetBefore(string service, string metric, DateTimeOffset before, out ServiceForecast forecast)
    {
        // The latest origin wins, and of several forecasts from one origin the first: a window seen again (a replay)
        // is forecast again from the model's later state, which the first evaluation of that window did not have.
        ServiceForecast? best = null;
        if (_recent.TryGetValue((service, metric), out var list))
        {
            foreach (var candidate in list)
            {
                if (candidate.Origin < before && (best is null || candidate.Origin > best.Origin))
                {
                    best = candidate;
                }
            }
        }

        if (best is not null)
        {
            list!.RemoveAll(f => f.Origin < best.Origin);
        }

        forecast = best!;
        return best is not null;
    }

    /// <summary>Forgets <paramref name="service"/>'s history (its partition moved to another member).</summary>
    public void Forget(string service)
    {
        foreach (var key in _recent.Keys.Where(k => k.Service == service).ToList())
        {
            _recent.Remove(key);
        }
    }
}
