using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// Issue #4 (session 11): a forecast series on a window size the pipeline does not produce was never fed and never
/// forecast, without a word. <see cref="StreamForecastOptions.CheckWindows"/> names it at start-up.
/// </summary>
public sealed class StreamForecastWindowCheckTests
{
    [Fact]
    public void WhenEverySeriesIsOnAProducedWindowThenThereIsNoWarning()
    {
        Assert.Empty(new StreamForecastOptions().CheckWindows(["10s", "1m"]));
    }

    [Fact]
    public void WhenASeriesIsOnAnotherWindowThenOneWarningNamesItAndTheProducedWindows()
    {
        var options = new StreamForecastOptions { Series = [new() { Name = "a" }, new() { Name = "b", Window = "5m" }] };

        var warning = Assert.Single(options.CheckWindows(["10s", "1m"]));

        Assert.Equal("Analytics:Forecasting:Series (service.request_rate.mean.5m): Window '5m' is not a window size the pipeline produces (10s, 1m): the series is never forecast", warning);
    }

    [Fact]
    public void WhenASeriesWritesTheRightLengthAnotherWayThenTheWarningGivesTheTagsSpelling()
    {
        var options = new StreamForecastOptions { Series = [new() { Name = "a" }, new() { Name = "b", Window = "60s" }] };

        Assert.Contains("Window '60s' is written '1m' by the pipeline", Assert.Single(options.CheckWindows(["10s", "1m"])), StringComparison.Ordinal);
    }

    [Fact]
    public void WhenNoSeriesIsOnAProducedWindowThenItIsAnError()
    {
        var options = new StreamForecastOptions { Series = [new() { Window = "5m" }, new() { Window = "1h", Field = "cpu_percent" }] };

        var ex = Assert.Throws<ArgumentException>(() => options.CheckWindows(["10s", "1m"]));

        Assert.StartsWith("Analytics:Forecasting: no series is on a window the pipeline produces (10s, 1m), so nothing would ever be forecast", ex.Message, StringComparison.Ordinal);
    }
}
