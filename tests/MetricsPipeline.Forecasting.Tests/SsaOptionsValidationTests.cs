using MetricsPipeline.Forecasting;
using Xunit;

namespace MetricsPipeline.Forecasting.Tests;

public sealed class SsaOptionsValidationTests
{
    private static SsaForecasterOptions Valid() => new() { WindowSize = 10, SeriesLength = 11, TrainSize = 21, Horizon = 3 };

    [Theory]
    [InlineData("WindowSize", 1, "at least 2")]
    [InlineData("SeriesLength", 10, "greater than the window size")]
    [InlineData("TrainSize", 20, "greater than 2 * window size")]
    [InlineData("Horizon", 0, "positive")]
    [InlineData("MaxRank", 10, "[1, windowSize)")]
    [InlineData("Rank", 0, "rank should be in")]
    public void WhenAParameterIsOutOfRangeThenValidateNamesItWithMlNetsRule(string name, int value, string message)
    {
        var options = Valid();
        typeof(SsaForecasterOptions).GetProperty(name)!.SetValue(options, value);
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(name, ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenConfidenceIsOneThenValidateFails()
    {
        var options = Valid();
        options.ConfidenceLevel = 1f;
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void WhenTheHorizonDiffersWithoutVariableHorizonThenForecastRefuses()
    {
        var model = SsaForecaster.Train(Valid(), Enumerable.Range(0, 30).Select(t => (double)(t % 5)).ToArray());
        Assert.Throws<InvalidOperationException>(() => model.Forecast(new double[5]));
        var options = Valid();
        options.VariableHorizon = true;
        var variable = SsaForecaster.Train(options, Enumerable.Range(0, 30).Select(t => (double)(t % 5)).ToArray());
        variable.Forecast(new double[5]);
    }

    [Fact]
    public void WhenMlNetModeIsUsedThenTheUsersMaxRankIsIgnoredAsMlNetDoes()
    {
        var options = Valid();
        options.MaxRank = 2;
        options.Compatibility = SsaCompatibility.MlNet;
        Assert.Equal(9, options.EffectiveMaxRank);
        options.Compatibility = SsaCompatibility.Default;
        Assert.Equal(2, options.EffectiveMaxRank);
    }
}
