using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>forecast</c> reads quoted timestamps (RFC 4180) and writes them back quoted: a timestamp holding a comma used to
/// be written bare, so every row of the output had one column too many after it.
/// </summary>
public class ForecastOutputQuotingTests
{
    [Fact]
    public async Task WhenATimestampHoldsACommaThenTheForecastOutputQuotesIt()
    {
        using var scratch = new CliScratch("forecast-out-quoted");
        string input = scratch.PathOf("in.csv");
        var values = CliSeries.Seasonal(100);
        File.WriteAllLines(input, ["timestamp,value", .. values.Select((v, i) => $"\"Jan {(i % 28) + 1}, 2026 \"\"{i}\"\"\",{v.ToString("R", CultureInfo.InvariantCulture)}")]);

        await scratch.RunOkAsync("forecast", "--input", input, "--output", scratch.PathOf("out.csv"), "--grid", "rows", "--window-size", "8", "--horizon", "2");

        var lines = File.ReadAllLines(scratch.PathOf("out.csv"));
        Assert.StartsWith("50,\"Jan 23, 2026 \"\"50\"\"\",", lines[1], StringComparison.Ordinal);
    }
}
