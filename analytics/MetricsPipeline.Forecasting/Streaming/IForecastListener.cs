namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>
/// Receives the forecasts the stream makes (the scaling stage is one). Called on the pipeline thread, in window
/// order, once per configured series per closed window; implementations must return quickly and must not throw.
/// </summary>
public interface IForecastListener
{
    /// <summary>A new forecast is available.</summary>
    void OnForecast(ServiceForecast forecast);
}
