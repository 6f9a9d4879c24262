using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>detect</c> refuses an infinite value (<c>1e999</c> overflows to infinity, <c>Infinity</c> parses as one), as
/// <c>forecast</c> does: it used to be scored, and every later row's p-value was empty (NaN) or its score -Infinity,
/// so the detector was off for the rest of the series with exit code 0.
/// </summary>
public class DetectInfiniteValueTests
{
    [Theory]
    [InlineData("1e999")]
    [InlineData("-Infinity")]
    public async Task WhenAValueIsInfiniteThenDetectFailsNamingTheLine(string value)
    {
        using var scratch = new CliScratch("detect-infinite");
        string input = scratch.PathOf("in.csv");
        var rows = Enumerable.Range(0, 100).Select(t => $"{t},{(100 + (t % 7)).ToString(CultureInfo.InvariantCulture)}").ToList();
        rows[49] = $"49,{value}";
        File.WriteAllLines(input, ["timestamp,value", .. rows]);

        var run = await scratch.RunAsync("detect", "--input", input, "--output", scratch.PathOf("out.csv"), "--detector", "iid-spike");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"in.csv:51: '{value}' is not finite", run.StandardError, StringComparison.Ordinal);
    }
}
