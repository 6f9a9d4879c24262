using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>simulate</c> reads its trace CSV as <c>forecast</c>/<c>backtest</c> do (RFC 4180). It used to split each line at
/// the first comma, so a quoted timestamp holding a comma (<c>"Jan 1, 2026 00:00",5</c>) failed.
/// </summary>
public class SimulateCsvQuotingTests
{
    private static string[] Rows(Func<DateTime, string> timestamp) =>
        ["timestamp,value", .. Enumerable.Range(0, 360).Select(i => $"{timestamp(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i))},{(1000 + (400 * Math.Sin(2 * Math.PI * i / 120))).ToString("R", CultureInfo.InvariantCulture)}")];

    [Fact]
    public async Task WhenTheTraceHasQuotedTimestampsWithCommasThenSimulateRunsOverTheWholeTrace()
    {
        using var scratch = new CliScratch("simulate-quoted");
        string trace = scratch.PathOf("load.csv");
        File.WriteAllLines(trace, Rows(t => "\"" + t.ToString("MMM d, yyyy HH:mm", CultureInfo.InvariantCulture) + "\""));

        await scratch.RunOkAsync("simulate", "--trace", trace, "--policy", "reactive", "--output", scratch.PathOf("summary.json"));

        Assert.Equal(360, scratch.ReadJson("summary.json").GetProperty("total_minutes").GetInt32());
    }

    [Fact]
    public async Task WhenAQuotedHeaderHoldsDoubledQuotesThenItIsTheHeader()
    {
        using var scratch = new CliScratch("simulate-doubled");
        string trace = scratch.PathOf("load.csv");
        var rows = Rows(t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        rows[0] = "\"time \"\"UTC\"\", minute\",\"requests, per second\"";
        File.WriteAllLines(trace, rows);

        await scratch.RunOkAsync("simulate", "--trace", trace, "--policy", "reactive", "--output", scratch.PathOf("summary.json"));

        Assert.Equal(360, scratch.ReadJson("summary.json").GetProperty("total_minutes").GetInt32());
    }

    [Fact]
    public async Task WhenAQuoteIsNotClosedThenSimulateFailsNamingTheLineItOpenedOn()
    {
        using var scratch = new CliScratch("simulate-unclosed");
        string trace = scratch.PathOf("load.csv");
        var rows = Rows(t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        rows[5] = "\"2026-01-01 00:04,1000";
        File.WriteAllLines(trace, rows);

        var run = await scratch.RunAsync("simulate", "--trace", trace, "--policy", "reactive", "--output", scratch.PathOf("summary.json"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("load:6: a quoted field is not closed", run.StandardError, StringComparison.Ordinal);
    }
}
