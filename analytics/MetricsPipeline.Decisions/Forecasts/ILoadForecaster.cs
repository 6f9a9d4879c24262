namespace MetricsPipeline.Decisions.Forecasts;

/// <summary>
/// Forecasts one service's load (e.g. request rate) for predictive scaling. Observations arrive in time order;
/// implementations keep their own state. Not thread-safe: one instance per service, used from one thread.
/// </summary>
public interface ILoadForecaster
{
    /// <summary>Feeds one observation. NaN is ignored.</summary>
    /// <param name="time">The observation time (non-decreasing).</param>
    /// <param name="value">The observed load.</param>
    void Observe(DateTimeOffset time, double value);

    /// <summary>The forecast for <paramref name="now"/> + <paramref name="lead"/> (made at <paramref name="now"/>), or null while the model is not ready (warming up).</summary>
    LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead);
}
