using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// Issue #4 leftovers (session 11) in <c>forecast</c>/<c>backtest</c>: <c>--compat mlnet</c> chooses an omitted window
/// from the season without running the auto-tuner, and validation errors name the option the user typed.
/// </summary>
public sealed class ForecastCliSession11Tests
{
    private const int Rows = 300;
    private const int TrainSize = 160;

    [Fact]
    public async Task WhenCompatIsMlnetWithoutAWindowThenTheWindowComesFromTheSeasonWithoutTuning()
    {
        using var scratch = new CliScratch("mlnet-window");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));

        var run = await scratch.RunOkAsync("backtest", "--input", input, "--compat", "mlnet", "--horizon", "3", "--train-size", $"{TrainSize}", "--output", scratch.PathOf("mlnet.json"));

        var report = scratch.ReadJson("mlnet.json");
        Assert.Equal(24, report.GetProperty("season").GetInt32());
        Assert.Equal(49, report.GetProperty("window_size").GetInt32()); // 2 × 24 + 1, as ML.NET advises
        Assert.Contains("window: 49 (--compat mlnet: from season 24, no tuning)", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("inner-backtest", run.StandardError, StringComparison.Ordinal);

        // The default mode still tunes.
        var tuned = await scratch.RunOkAsync("backtest", "--input", input, "--horizon", "3", "--train-size", $"{TrainSize}", "--output", scratch.PathOf("default.json"));
        Assert.Contains("inner-backtest", tuned.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenCompatIsMlnetAndTheTrainingIsTooShortForTwiceTheSeasonThenSeasonPlusOneIsUsed()
    {
        using var scratch = new CliScratch("mlnet-short");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));

        // 80 training rows: 2 × 49 = 98 is too many, 2 × 25 = 50 fits.
        await scratch.RunOkAsync("backtest", "--input", input, "--compat", "mlnet", "--season", "24", "--horizon", "3", "--train-size", "80", "--output", scratch.PathOf("short.json"));

        Assert.Equal(25, scratch.ReadJson("short.json").GetProperty("window_size").GetInt32());
    }

    [Fact]
    public async Task WhenCompatIsMlnetWithoutAWindowOrASeasonThenTheTunerChoosesTheWindow()
    {
        using var scratch = new CliScratch("mlnet-noseason");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));

        var run = await scratch.RunOkAsync("backtest", "--input", input, "--compat", "mlnet", "--season", "1", "--horizon", "2", "--train-size", $"{TrainSize}", "--output", scratch.PathOf("out.json"));

        Assert.Contains("no season (1): --compat mlnet has no season to derive the window from", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("inner-backtest", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("log scale", run.StandardError, StringComparison.Ordinal);
        var report = scratch.ReadJson("out.json");
        Assert.Equal("MlNet", report.GetProperty("compat").GetString());
        Assert.True(report.GetProperty("window_size").GetInt32() >= 2);
    }

    [Theory]
    [InlineData("forecast", new[] { "--window-size", "1" }, "forecast: --window-size: The window size should be at least 2 (got 1). [ML.NET: windowSize]")]
    [InlineData("backtest", new[] { "--window-size", "24", "--max-rank", "30" }, "backtest: --max-rank: The max rank should be in [1, --window-size) = [1, 24) (got 30). [ML.NET: maxRank]")]
    [InlineData("forecast", new[] { "--window-size", "24", "--series-length", "5" }, "forecast: --series-length: The series length should be greater than the window size (got 5 <= 24). [ML.NET: seriesLength]")]
    [InlineData("backtest", new[] { "--window-size", "24", "--confidence-level", "1.5" }, "backtest: --confidence-level: The confidence level should be in [0, 1) (got 1.5). [ML.NET: confidenceLevel]")]
    public async Task WhenAnSsaParameterIsInvalidThenTheMessageNamesTheOptionTheUserTyped(string command, string[] options, string expected)
    {
        using var scratch = new CliScratch("ssa-option-names");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));

        var run = await scratch.RunAsync([command, "--input", input, "--horizon", "2", "--train-size", $"{TrainSize}", "--output", scratch.PathOf("out"), .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.StandardError.Trim().Split('\n')[^1]);
    }
}
