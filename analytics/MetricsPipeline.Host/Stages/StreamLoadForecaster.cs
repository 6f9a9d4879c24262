using MetricsPipeline.Decisions.Forecasts;
using MetricsPipeline.Forecasting.Streaming;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// The predictive policy's forecaster in the stream: instead of fitting a model of its own it reads the latest
/// forecast the forecast stage made for the service's metric from windows before "now" (SSA per service, updated as
/// every window closes; see <see cref="ForecastHistory"/>). The
/// upper bound is the largest over the steps up to the lead time, so capacity covers the whole lead, not only its
/// end. Observations are ignored: the forecast stage learns from the windows themselves. Not thread-safe.
/// </summary>
/// <param name="latest">The forecast stage's recent forecasts.</param>
/// <param name="service">The service.</param>
/// <param name="metric">The forecast metric that measures load (<c>request_rate</c>).</param>
/// <param name="confidenceLevel">The confidence level of the forecast bounds.</param>
/// <param name="maxAge">A forecast older than this (event time) is stale and not used.</param>
internal sealed class StreamLoadForecaster(ForecastHistory latest, string service, string metric, double confidenceLevel, TimeSpan maxAge) : ILoadForecaster
{
    /// <inheritdoc />
    public void Observe(DateTimeOffset time, double value)
    {
    }

    /// <inheritdoc />
    public LoadForecast? Forecast(DateTimeOffset now, TimeSpan lead)
    {
        var found = latest.TryGetBefore(service, metric, now, out var forecast);
        if (!found || forecast.Horizon == 0 || forecast.Step <= TimeSpan.Zero)
        {
            return null;
        }

        // The forecast's origin is the start of the last window it saw, so "now" (a window end) is one step later.
        if (now - forecast.Origin > maxAge + forecast.Step)
        {
            return null;
        }

        var target = now + lead;
        int k = (int)Math.Ceiling((target - forecast.Origin) / forecast.Step);
        k = Math.Clamp(k, 1, forecast.Horizon);
        double upper = double.NegativeInfinity;
        for (int i = 0; i < k; i++)
        {
            if (double.IsFinite(forecast.Upper[i]))
            {
                upper = Math.Max(upper, forecast.Upper[i]);
            }
        }

        double value = forecast.Value[k - 1];
        double lower = forecast.Lower[k - 1];
        if (!double.IsFinite(upper) || !double.IsFinite(value))
        {
            return null;
        }

        return new LoadForecast(now, lead, value, lower, upper, confidenceLevel, "ssa-" + forecast.ModelVersion);
    }
}
