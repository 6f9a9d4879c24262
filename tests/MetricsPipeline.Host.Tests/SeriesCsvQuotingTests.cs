using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>forecast</c>/<c>backtest</c> read their CSV as RFC 4180 quotes it: a quoted field holding a comma before the
/// <c>value</c> column used to be split at that comma, shifting the columns (the value read was the wrong cell).
/// </summary>
public class SeriesCsvQuotingTests
{
    private const int Rows = 200;

    /// <summary>A <c>label,timestamp,value</c> CSV; every label is quoted and holds a comma and a doubled quote.</summary>
    private static string WriteLabelled(CliScratch scratch, string name, double[] values)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = new List<string> { "label,timestamp,value" };
        for (int i = 0; i < values.Length; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"\"web, \"\"eu\"\" {i}\",\"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss}\",{values[i]:R}"));
        }

        string path = scratch.PathOf(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task WhenAQuotedFieldBeforeTheValueHoldsACommaThenTheForecastIsTheSameAsWithoutIt()
    {
        using var scratch = new CliScratch("csv-quoted");
        var values = CliSeries.Seasonal(Rows);
        string plain = scratch.WriteSeries("plain.csv", values);
        string labelled = WriteLabelled(scratch, "labelled.csv", values);
        string[] common = ["--horizon", "3", "--train-size", "120", "--window-size", "24", "--season", "24"];

        await scratch.RunOkAsync(["forecast", "--input", plain, "--output", scratch.PathOf("plain.out"), .. common]);
        await scratch.RunOkAsync(["forecast", "--input", labelled, "--output", scratch.PathOf("labelled.out"), .. common]);

        Assert.Equal(File.ReadAllLines(scratch.PathOf("plain.out")), File.ReadAllLines(scratch.PathOf("labelled.out")));
    }

    [Theory]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\n\"2026-01-01 00:05:00,2\n2026-01-01 00:10:00,3\n", ":3:", "not closed")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\n\"2026-01-01 00:05:00\"x,2\n", ":3:", "after the closing quote")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,2\"\n", ":3:", "quote inside an unquoted field")]
    public async Task WhenAQuoteIsMalformedThenBacktestFailsNamingTheLine(string csv, string line, string expected)
    {
        using var scratch = new CliScratch("csv-bad-quote");
        string input = scratch.PathOf("bad.csv");
        File.WriteAllText(input, csv);

        var run = await scratch.RunAsync("backtest", "--input", input, "--output", scratch.PathOf("out.json"), "--horizon", "2");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad.csv" + line, run.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
    }
}
