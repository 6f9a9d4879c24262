using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>detect</c> reads its CSV as <c>forecast</c>/<c>backtest</c> do (RFC 4180): a quoted timestamp may hold commas
/// and doubled quotes, and a quote left open fails with the line it opened on. It used to split each line at the first
/// comma, so <c>"Jan 1, 2026 00:00",5</c> failed.
/// </summary>
public class DetectCsvQuotingTests
{
    private static string[] Rows(Func<int, string> timestamp) =>
        ["timestamp,value", .. Enumerable.Range(0, 60).Select(t => $"{timestamp(t)},{(10 + (3 * Math.Sin(t))).ToString("R", CultureInfo.InvariantCulture)}")];

    [Fact]
    public async Task WhenTheTimestampIsQuotedWithACommaThenDetectReadsEveryRowAndWritesTheTimestampBackQuoted()
    {
        using var scratch = new CliScratch("detect-quoted");
        string input = scratch.PathOf("in.csv");
        File.WriteAllLines(input, Rows(t => $"\"Jan 1, 2026 {t / 60:00}:{t % 60:00}\""));

        var run = await scratch.RunOkAsync("detect", "--input", input, "--output", scratch.PathOf("out.csv"), "--detector", "iid-spike");

        var lines = File.ReadAllLines(scratch.PathOf("out.csv"));
        Assert.Equal(61, lines.Length);
        Assert.StartsWith("0,\"Jan 1, 2026 00:00\",10,", lines[1], StringComparison.Ordinal);
        Assert.Contains("60 rows", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAQuotedTimestampHoldsADoubledQuoteThenItReadsAsOneQuote()
    {
        using var scratch = new CliScratch("detect-doubled");
        string input = scratch.PathOf("in.csv");
        File.WriteAllLines(input, Rows(t => $"\"t{t} \"\"local\"\"\""));

        await scratch.RunOkAsync("detect", "--input", input, "--output", scratch.PathOf("out.csv"), "--detector", "iid-spike");

        var lines = File.ReadAllLines(scratch.PathOf("out.csv"));
        Assert.StartsWith("0,\"t0 \"\"local\"\"\",10,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAQuoteIsNotClosedThenDetectFailsNamingTheLineItOpenedOn()
    {
        using var scratch = new CliScratch("detect-unclosed");
        string input = scratch.PathOf("in.csv");
        var rows = Rows(t => $"2026-01-01T00:{t:00}:00Z");
        rows[3] = "\"2026-01-01T00:02:00Z,5";
        File.WriteAllLines(input, rows);

        var run = await scratch.RunAsync("detect", "--input", input, "--output", scratch.PathOf("out.csv"), "--detector", "iid-spike");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("in.csv:4: a quoted field is not closed", run.StandardError, StringComparison.Ordinal);
    }
}
