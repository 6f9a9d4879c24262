using MetricsPipeline.Forecasting.Streaming;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>Windows the stream has already passed arriving again (a replay after a restart, a late duplicate).</summary>
public sealed class StreamReplayTests
{
    private static double Value(int minute) => StreamTestData.Rate(minute, 0);

    [Fact]
    public void WhenAnOlderOrRepeatedWindowArrivesThenNoForecastIsMadeForItsStart()
    {
        var engine = new StreamForecastEngine(StreamTestData.Options(), null);
        var latest = StreamTestData.Feed(engine, 0, 80)[^1];
        var made = engine.ForecastsMade;

        // The model's state is at minute 79; a forecast stamped with origin 65 (or 79 again) would carry the values made
        // at 79 to the timestamps 66.., overwriting the forecast points written for those windows at the time.
        Assert.Empty(engine.Process([StreamTestData.Observation(65, Value(65))]));
        Assert.Empty(engine.Process([StreamTestData.Observation(79, Value(79))]));

        Assert.Equal(made, engine.ForecastsMade);
        var next = engine.Process([StreamTestData.Observation(80, Value(80))]);
        Assert.Equal(latest.Origin.AddMinutes(1), Assert.Single(next).Origin);
    }
}
