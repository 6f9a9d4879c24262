using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>metrics-pipeline forecast</c> as a child process: the output contract of issue 4 item 8 (header, one row per consumed
/// row, bounds), every documented option, and that no forecast depends on a row after the one it was made at.
/// </summary>
public class ForecastCliTests
{
    private const int Rows = 300;
    private const int TrainSize = 160;

    private static string Header(int horizon) =>
        "index,timestamp,value," + string.Join(',', new[] { "forecast", "lower", "upper" }.SelectMany(p => Enumerable.Range(1, horizon).Select(i => $"{p}_{i}")));

    private static double[] Cells(string line) =>
        line.Split(',').Skip(3).Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task WhenOnlyInputHorizonTrainSizeAndOutputAreGivenThenEveryRowAfterTrainingGetsForecastsWithinTheirBounds()
    {
        using var scratch = new CliScratch("forecast");
        var values = CliSeries.Seasonal(Rows);
        string input = scratch.WriteSeries("series.csv", values);
        await scratch.RunOkAsync("forecast", "--input", input, "--horizon", "12", "--train-size", $"{TrainSize}", "--output", scratch.PathOf("out.csv"));

        var lines = File.ReadAllLines(scratch.PathOf("out.csv"));
        Assert.Equal(Header(12), lines[0]);
        Assert.Equal(Rows - TrainSize, lines.Length - 1);
        var inputLines = File.ReadAllLines(input);
        for (int l = 1; l < lines.Length; l++)
        {
            int row = TrainSize + l - 1;
            var cells = lines[l].Split(',');
            Assert.Equal(3 + (3 * 12), cells.Length);
            Assert.Equal(row.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(inputLines[row + 1], $"{cells[1]},{cells[2]}");
            var numbers = Cells(lines[l]);
            for (int h = 0; h < 12; h++)
            {
                double forecast = numbers[h], lower = numbers[12 + h], upper = numbers[24 + h];
                Assert.True(double.IsFinite(forecast) && lower <= forecast && forecast <= upper, $"row {row} step {h + 1}: {lower} <= {forecast} <= {upper}");
            }
        }

        // The forecasts follow the season: one step ahead, within a few units of a series whose amplitude is 20.
        double meanError = Enumerable.Range(1, lines.Length - 2).Average(l => Math.Abs(Cells(lines[l])[0] - values[TrainSize + l]));
        Assert.True(meanError < 3, $"mean one-step error {meanError}");
    }

    [Theory]
    [InlineData("engine", TrainSize + 15)]
    [InlineData("batch", TrainSize)]
    public async Task WhenTheRowsFromRowKOnChangeThenEveryForecastMadeBeforeRowKIsUnchangedBitForBit(string mode, int k)
    {
        using var scratch = new CliScratch("forecast-peek");
        var original = CliSeries.Seasonal(Rows);
        var changed = original.Select((v, i) => i >= k ? (v * 3) + 40 : v).ToArray();
        string a = scratch.WriteSeries("a.csv", original);
        string b = scratch.WriteSeries("b.csv", changed);
        string[] common = ["--horizon", "6", "--train-size", $"{TrainSize}", "--mode", mode];
        await scratch.RunOkAsync(["forecast", "--input", a, "--output", scratch.PathOf("a.out"), .. common]);
        await scratch.RunOkAsync(["forecast", "--input", b, "--output", scratch.PathOf("b.out"), .. common]);

        var before = File.ReadAllLines(scratch.PathOf("a.out"));
        var after = File.ReadAllLines(scratch.PathOf("b.out"));
        int first = mode == "batch" ? 0 : TrainSize;
        Assert.Equal(Rows - first + 1, before.Length);
        Assert.Equal(before.Length, after.Length);
        int unchanged = k - first;
        Assert.True(unchanged > 0);

        // Lines 1..unchanged hold the rows first..k-1: their text (values printed round-trip) must match exactly.
        Assert.Equal(before.Take(unchanged + 1), after.Take(unchanged + 1));

        // The check is live: the forecast made at row k, after consuming the changed row, does change.
        Assert.NotEqual(Cells(before[unchanged + 1]).Take(6), Cells(after[unchanged + 1]).Take(6));
    }

    [Fact]
    public async Task WhenEveryDocumentedOptionIsGivenThenForecastAcceptsThemAndTheModeSetsWhichRowsAreWritten()
    {
        using var scratch = new CliScratch("forecast-options");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));
        await scratch.RunOkAsync(
            "forecast", "--input", input, "--output", scratch.PathOf("mlnet.csv"), "--window-size", "24", "--series-length", "30",
            "--train-size", $"{TrainSize}", "--horizon", "3", "--confidence-level", "0.9", "--rank-selection", "Fixed", "--rank", "3",
            "--max-rank", "10", "--no-stabilize", "--variable-horizon", "--compat", "mlnet", "--mode", "batch");
        var mlnet = File.ReadAllLines(scratch.PathOf("mlnet.csv"));
        Assert.Equal(Header(3), mlnet[0]);
        Assert.Equal(Rows, mlnet.Length - 1);
        Assert.StartsWith("0,", mlnet[1], StringComparison.Ordinal);

        string[] engine = ["forecast", "--input", input, "--window-size", "24", "--train-size", $"{TrainSize}", "--horizon", "2", "--rank-selection", "Exact", "--compat", "default", "--mode", "engine"];
        await scratch.RunOkAsync([.. engine, "--confidence-level", "0.5", "--output", scratch.PathOf("narrow.csv")]);
        await scratch.RunOkAsync([.. engine, "--confidence-level", "0.99", "--output", scratch.PathOf("wide.csv")]);
        var narrow = File.ReadAllLines(scratch.PathOf("narrow.csv"));
        var wide = File.ReadAllLines(scratch.PathOf("wide.csv"));
        Assert.Equal(Header(2), narrow[0]);
        Assert.Equal(Rows - TrainSize, narrow.Length - 1);
        Assert.StartsWith($"{TrainSize},", narrow[1], StringComparison.Ordinal);

        // --confidence-level reaches the bounds: the 99 % interval is wider than the 50 % one on average.
        static double MeanWidth(string[] lines) => lines.Skip(1).Select(Cells).Average(c => c[4] - c[2]);
        Assert.True(MeanWidth(wide) > MeanWidth(narrow) * 1.5, $"widths {MeanWidth(wide)} vs {MeanWidth(narrow)}");
    }

    [Fact]
    public async Task WhenTheInputIsMissingEmptyHasNoValueColumnOrTheHorizonIsNotPositiveThenForecastFailsNamingTheProblem()
    {
        using var scratch = new CliScratch("forecast-errors");
        string output = scratch.PathOf("out.csv");
        var missing = await scratch.RunAsync("forecast", "--input", scratch.PathOf("absent.csv"), "--horizon", "3", "--output", output);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("absent.csv", missing.StandardError, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.StandardError, StringComparison.Ordinal);

        string noValue = scratch.PathOf("no-value.csv");
        File.WriteAllLines(noValue, ["timestamp,load", "2026-01-01 00:00:00,1", "2026-01-01 00:05:00,2"]);
        var withoutValue = await scratch.RunAsync("forecast", "--input", noValue, "--horizon", "3", "--output", output);
        Assert.NotEqual(0, withoutValue.ExitCode);
        Assert.Contains("'value' column", withoutValue.StandardError, StringComparison.Ordinal);

        // An input with a header and no rows is named as such, not as a --train-size the user never typed.
        string headerOnly = scratch.PathOf("header-only.csv");
        File.WriteAllLines(headerOnly, ["timestamp,value"]);
        var empty = await scratch.RunAsync("forecast", "--input", headerOnly, "--horizon", "3", "--output", output);
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("no data rows", empty.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("--train-size", empty.StandardError, StringComparison.Ordinal);

        // Timestamps out of order cannot go on the time grid; the message says where and how to forecast on the rows.
        string unsorted = scratch.PathOf("unsorted.csv");
        File.WriteAllLines(unsorted, ["timestamp,value", .. Enumerable.Range(0, 40).Select(i => $"2026-01-01 {i / 12:00}:{i % 12 * 5:00}:00,{i}"), "2026-01-01 00:00:00,1"]);
        var outOfOrder = await scratch.RunAsync("forecast", "--input", unsorted, "--horizon", "3", "--output", output);
        Assert.NotEqual(0, outOfOrder.ExitCode);
        Assert.Contains("decrease at row 40", outOfOrder.StandardError, StringComparison.Ordinal);
        Assert.Contains("--grid rows", outOfOrder.StandardError, StringComparison.Ordinal);
        await scratch.RunOkAsync("forecast", "--input", unsorted, "--horizon", "3", "--grid", "rows", "--output", scratch.PathOf("rows.csv"));

        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));
        var zero = await scratch.RunAsync("forecast", "--input", input, "--horizon", "0", "--train-size", $"{TrainSize}", "--output", output);
        Assert.NotEqual(0, zero.ExitCode);
        Assert.Contains("--horizon", zero.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "a failed forecast leaves no output file");

        var negative = await scratch.RunAsync("forecast", "--input", input, "--horizon", "3", "--train-size", "-3", "--output", output);
        Assert.NotEqual(0, negative.ExitCode);
        Assert.Contains("--train-size", negative.StandardError, StringComparison.Ordinal);
    }
}
