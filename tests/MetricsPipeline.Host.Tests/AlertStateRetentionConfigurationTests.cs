using MetricsPipeline.Decisions.Alerts;
using MetricsPipeline.Host.Hosting;
using MetricsPipeline.Host.Stages;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>Analytics:Alerts:StateRetention</c> as <see cref="ScalingStage.Create"/> reads it (<see cref="ScalingStageOptions.From"/>):
/// the configured value is the one the stage's alert evaluator drops a silent service's idle states after, and a value
/// that is not positive or not a time span stops the start with a message naming the key.
/// </summary>
public sealed class AlertStateRetentionConfigurationTests
{
    private static ScalingStageOptions Options(string? retention)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Analytics:Scaling:PredictiveEnabled"] = "false",
            ["Analytics:Cost:Enabled"] = "false",
        };
        if (retention is not null)
        {
            settings["Analytics:Alerts:StateRetention"] = retention;
        }

        return ScalingStageOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    /// <summary>
    /// The (service, rule) states the stage holds after each of minutes 0–<paramref name="minutes"/>: api reports at
    /// minute 0 only, web every minute (both at 40 % CPU, so no alert fires).
    /// </summary>
    private static List<int> Tracked(ScalingStageOptions options, int minutes)
    {
        var stage = new ScalingStage(options, new PipelineSettings(), (_, _, _) => { });
        var tracked = new List<int>();
        for (int m = 0; m <= minutes; m++)
        {
            stage.OnWindows(m == 0 ? SilentServiceAlertTests.Minute(0, "api", "web") : SilentServiceAlertTests.Minute(m, "web"));
            tracked.Add(stage.AlertStatesTracked);
        }

        return tracked;
    }

    [Fact]
    public void WhenTheRetentionIsConfiguredThenASilentServicesIdleStatesAreDroppedAfterThatLong()
    {
        Assert.Equal(TimeSpan.FromHours(2), Options("02:00:00").AlertStateRetention);
        var twoHours = Tracked(Options("02:00:00"), 180);
        int both = twoHours[0];
        Assert.True(both > 0 && both % 2 == 0, $"api and web hold the same rules' states: {both}");
        // api's last snapshot ends minute 0 (T0 + 1 min): its states go at the first tick 2 hours on (T0 + 121 min, the
        // batch of minute 120), not before.
        Assert.Equal(both, twoHours[119]);
        Assert.Equal(both / 2, twoHours[120]);
        Assert.Equal(both / 2, twoHours[180]);

        // Unset, the default day applies: three hours later api's states are still held.
        Assert.Equal(ThresholdAlertEvaluator.DefaultIdleStateRetention, Options(null).AlertStateRetention);
        Assert.Equal(both, Tracked(Options(null), 180)[180]);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-01:00:00")]
    public void WhenTheRetentionIsNotPositiveThenTheStageIsRefusedNamingTheKey(string retention)
    {
        var e = Assert.Throws<ArgumentException>(() => new ScalingStage(Options(retention), new PipelineSettings(), (_, _, _) => { }));
        Assert.Contains("Analytics:Alerts:StateRetention", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("2h")]
    [InlineData("")]
    public void WhenTheRetentionIsNotATimeSpanThenReadingTheOptionsFailsNamingTheKey(string retention)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Options(retention));
        Assert.Contains("Analytics:Alerts:StateRetention", e.Message, StringComparison.Ordinal);
    }
}
