using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>forecast</c>/<c>backtest</c> with a given <c>--window-size</c> and a model option that cannot go with it: the
/// error is known before any work, so it must come before the auto-tuner's inner backtests (minutes on a long series).
/// </summary>
public class ForecastEarlyValidationTests
{
    [Theory]
    [InlineData("forecast", "--rank-selection", "Fixed", "--rank", "10", "--rank: The rank should be in [1, 9]")]
    [InlineData("forecast", "--series-length", "5", "--horizon", "2", "--series-length: The series length should be greater than the window size")]
    [InlineData("backtest", "--max-rank", "10", "--horizon", "2", "--max-rank: The max rank should be in [1, --window-size)")]
    [InlineData("backtest", "--max-growth", "-1", "--horizon", "2", "--max-growth: The growth of the growth ratio should be non-negative")]
    public async Task WhenAGivenOptionCannotGoWithTheGivenWindowThenTheCommandFailsBeforeTuning(string command, string option, string value, string other, string otherValue, string expected)
    {
        using var scratch = new CliScratch("forecast-early");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(300));

        var run = await scratch.RunAsync(command, "--input", input, "--output", scratch.PathOf("out"), "--window-size", "10", option, value, other, otherValue);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("inner-backtest", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forecast", "--max-growth", "-1", "--max-growth: The growth of the growth ratio should be non-negative")]
    [InlineData("backtest", "--max-growth", "-0.5", "--max-growth: The growth of the growth ratio should be non-negative")]
    [InlineData("forecast", "--rank", "0", "--rank: The rank should be")]
    [InlineData("backtest", "--max-rank", "0", "--max-rank: The max rank should be in [1, --window-size)")]
    [InlineData("forecast", "--max-rank", "-2", "--max-rank: The max rank should be in [1, --window-size)")]
    public async Task WhenAnOptionIsOutOfRangeWhateverTheWindowThenTheCommandFailsBeforeTuningWithoutAWindowSize(string command, string option, string value, string expected)
    {
        using var scratch = new CliScratch("forecast-early-nowindow");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(300));

        var run = await scratch.RunAsync(command, "--input", input, "--output", scratch.PathOf("out"), "--horizon", "2", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("inner-backtest", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheRankExceedsTheGivenMaxRankThenBacktestFailsBeforeTuningWithoutAWindowSize()
    {
        using var scratch = new CliScratch("forecast-early-rank");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(300));

        var run = await scratch.RunAsync("backtest", "--input", input, "--output", scratch.PathOf("out"), "--horizon", "2", "--rank-selection", "Fixed", "--rank", "5", "--max-rank", "3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--rank: The rank should be in [1, 3] (got 5).", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("inner-backtest", run.StandardError, StringComparison.Ordinal);
    }
}
