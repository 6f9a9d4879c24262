using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>detect</c>'s option errors name the option typed, not the library's parameter (<c>historyLength</c> for
/// <c>--pvalue-history-length</c>), and an option the chosen detector does not use is said on stderr, not ignored
/// silently (as <c>forecast</c> says of its ignored options).
/// </summary>
public class DetectOptionMessageTests
{
    private static string WriteSeries(CliScratch scratch)
    {
        string input = scratch.PathOf("in.csv");
        File.WriteAllLines(input, ["timestamp,value", .. Enumerable.Range(0, 200).Select(t => $"{t},{(100 + (t % 7)).ToString(CultureInfo.InvariantCulture)}")]);
        return input;
    }

    [Theory]
    [InlineData("iid-spike", "--pvalue-history-length", "0", "--pvalue-history-length: ")]
    [InlineData("iid-changepoint", "--change-history-length", "1", "--change-history-length: ")]
    [InlineData("iid-spike", "--confidence", "150", "--confidence: ")]
    [InlineData("ssa-spike", "--confidence", "0", "--confidence: ")]
    [InlineData("iid-changepoint", "--power-martingale-epsilon", "2", "--power-martingale-epsilon: ")]
    [InlineData("ssa-changepoint", "--seasonal-window-size", "1", "--seasonal-window-size: ")]
    public async Task WhenAnOptionIsOutOfRangeThenTheErrorNamesTheOption(string detector, string option, string value, string expected)
    {
        using var scratch = new CliScratch("detect-option-message");
        string input = WriteSeries(scratch);

        var run = await scratch.RunAsync("detect", "--input", input, "--output", scratch.PathOf("out.csv"), "--detector", detector, option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value was", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iid-spike", "--training-window-size", "50")]
    [InlineData("srcnn", "--change-history-length", "30")]
    [InlineData("auto", "--confidence", "95")]
    public async Task WhenAnOptionIsNotUsedByTheDetectorThenStderrSaysSo(string detector, string option, string value)
    {
        using var scratch = new CliScratch("detect-ignored");
        string input = WriteSeries(scratch);

        var run = await scratch.RunOkAsync("detect", "--input", input, "--output", scratch.PathOf("out.csv"), "--detector", detector, option, value);

        Assert.Contains($"note: {option} is not used by the {detector} detector", run.StandardError, StringComparison.Ordinal);
    }
}
