using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>Two configured series that would share one series key (the key is source and group, not name or combination).</summary>
public sealed class StreamSeriesKeyCollisionTests
{
    [Theory]
    [InlineData("service")]
    [InlineData("")]
    public void WhenTwoSeriesHaveTheSameSourceAndGroupThenTheSettingsAreRefusedNamingBoth(string groupBy)
    {
        // Total and busiest-instance request rate per service: both keyed "service.request_rate.mean.1m|service=api", so
        // one forecaster took both series' windows (whichever came first per minute) and one model-store directory both models.
        var options = new StreamForecastOptions
        {
            Series =
            [
                new ForecastSeriesOptions { Name = "rate_total", GroupBy = groupBy, Combine = CombineMethod.Sum },
                new ForecastSeriesOptions { Name = "rate_peak", GroupBy = groupBy, Combine = CombineMethod.Max },
            ],
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("rate_total", error.Message, StringComparison.Ordinal);
        Assert.Contains("rate_peak", error.Message, StringComparison.Ordinal);
        Assert.Contains("service.request_rate.mean.1m", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheSameSourceIsGroupedByDifferentTagsThenTheSettingsAreAccepted()
    {
        var options = new StreamForecastOptions
        {
            Series =
            [
                new ForecastSeriesOptions { Name = "rate_service", GroupBy = "service" },
                new ForecastSeriesOptions { Name = "rate_region", GroupBy = "region" },
            ],
        };

        options.Validate();
    }
}
