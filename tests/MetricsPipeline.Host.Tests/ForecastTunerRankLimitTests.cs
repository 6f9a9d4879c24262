using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>forecast</c>/<c>backtest</c> without <c>--window-size</c> and with a given <c>--max-rank</c> or <c>--rank</c>: the
/// auto-tuner chooses the window under the rank the final model will have, not under ranks the user excluded.
/// </summary>
public partial class ForecastTunerRankLimitTests
{
    [Theory]
    [InlineData("backtest")]
    [InlineData("forecast")]
    public async Task WhenAMaxRankIsGivenThenNoInnerBacktestUsesAHigherRank(string command)
    {
        using var scratch = new CliScratch("tuner-max-rank");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(400));

        var run = await scratch.RunOkAsync(command, "--input", input, "--output", scratch.PathOf("out"), "--horizon", "3", "--max-rank", "3");

        var ranks = InnerRanks(run.StandardError);
        Assert.NotEmpty(ranks);
        Assert.All(ranks, r => Assert.InRange(r, 1, 3));
    }

    [Fact]
    public async Task WhenAFixedRankIsGivenThenEveryInnerBacktestUsesThatRank()
    {
        using var scratch = new CliScratch("tuner-rank");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(400));

        var run = await scratch.RunOkAsync("backtest", "--input", input, "--output", scratch.PathOf("out"), "--horizon", "3", "--rank-selection", "Fixed", "--rank", "2");

        var ranks = InnerRanks(run.StandardError);
        Assert.NotEmpty(ranks);
        Assert.All(ranks, r => Assert.Equal(2, r));
    }

    [Fact]
    public async Task WhenAMaxRankIsGivenThenOnlyWindowsItFitsAreTriedAndTheRunSucceeds()
    {
        // Windows 6, 12 and 24 cannot hold a rank cap of 30: scored anyway, one of them could win and the final model's
        // check (max rank below the window) failed after the whole search.
        using var scratch = new CliScratch("tuner-max-rank-window");
        string input = scratch.WriteSeries("s.csv", CliSeries.Seasonal(400, period: 5));

        var run = await scratch.RunOkAsync("backtest", "--input", input, "--output", scratch.PathOf("out"), "--horizon", "3", "--max-rank", "30");

        Assert.All(WindowPattern().Matches(run.StandardError), m => Assert.True(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 30, m.Value));
    }

    /// <summary>The ranks of the inner-backtest progress lines (<c>rank 8</c> or <c>rank exact(8)</c>).</summary>
    private static List<int> InnerRanks(string stderr) =>
        [.. stderr.Split('\n').Where(l => l.Contains("inner-backtest", StringComparison.Ordinal))
            .Select(l => RankPattern().Match(l))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"rank (?:exact\()?(\d+)")]
    private static partial Regex RankPattern();

    [GeneratedRegex(@"window (\d+), rank [^:]*: inner-backtest")]
    private static partial Regex WindowPattern();
}
