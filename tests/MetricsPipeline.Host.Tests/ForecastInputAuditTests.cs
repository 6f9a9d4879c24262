using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>forecast</c>/<c>backtest</c> on inputs and options a user gets wrong (session 10 audit of issue 4 item 8): each case
/// used to run on silently with a wrong or empty result, or fail only after the work.
/// </summary>
public class ForecastInputAuditTests
{
    private const int Rows = 300;
    private const int TrainSize = 160;

    /// <summary>A 5-minute <c>timestamp,value</c> CSV whose value cell is empty where <paramref name="values"/> is NaN.</summary>
    private static string WriteWithGaps(CliScratch scratch, string name, double[] values)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = new List<string> { "timestamp,value" };
        for (int i = 0; i < values.Length; i++)
        {
            string cell = double.IsNaN(values[i]) ? string.Empty : values[i].ToString("R", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{cell}"));
        }

        string path = scratch.PathOf(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task WhenTheLastTrainingRowHasNoValueThenTrainingDoesNotSeeTheFirstRowAfterIt()
    {
        using var scratch = new CliScratch("forecast-train-edge");
        var original = CliSeries.Seasonal(Rows);
        original[TrainSize - 1] = double.NaN;
        var changed = (double[])original.Clone();
        changed[TrainSize] += 500;
        string a = WriteWithGaps(scratch, "a.csv", original);
        string b = WriteWithGaps(scratch, "b.csv", changed);

        // Batch mode replays from row 0 with the trained model: lines for rows before TrainSize depend on training and on
        // those rows only. The empty last training row's slot used to be trained on, interpolated towards row TrainSize.
        string[] common = ["--horizon", "3", "--train-size", $"{TrainSize}", "--window-size", "24", "--season", "24", "--mode", "batch"];
        await scratch.RunOkAsync(["forecast", "--input", a, "--output", scratch.PathOf("a.out"), .. common]);
        await scratch.RunOkAsync(["forecast", "--input", b, "--output", scratch.PathOf("b.out"), .. common]);
        var before = File.ReadAllLines(scratch.PathOf("a.out"));
        var after = File.ReadAllLines(scratch.PathOf("b.out"));
        Assert.Equal(Rows + 1, before.Length);
        Assert.Equal(before.Take(TrainSize + 1), after.Take(TrainSize + 1));

        // Live: the line of row TrainSize, after consuming the raised value, differs.
        Assert.NotEqual(before[TrainSize + 1], after[TrainSize + 1]);
    }

    [Theory]
    [InlineData("0", "at least 1")]
    [InlineData("-3", "at least 1")]
    [InlineData("160", "shorter than the training")]
    public async Task WhenTheSeasonIsBelowOneOrAsLongAsTheTrainingThenBacktestFailsNamingIt(string season, string expected)
    {
        using var scratch = new CliScratch("backtest-season");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));
        var run = await scratch.RunAsync("backtest", "--input", input, "--season", season, "--horizon", "3", "--train-size", $"{TrainSize}", "--window-size", "24", "--output", scratch.PathOf("report.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--season", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.PathOf("report.json")));
    }

    [Fact]
    public async Task WhenMissingValuesLeaveTooFewForTheWindowOnRowsThenForecastFailsInsteadOfForecastingZero()
    {
        using var scratch = new CliScratch("forecast-too-few");
        var values = CliSeries.Seasonal(Rows);
        values[10] = double.NaN;
        string input = WriteWithGaps(scratch, "series.csv", values);

        // 49 rows hold 48 values: ML.NET's rule (more than 2L values) does not train, and every forecast would be 0.
        var run = await scratch.RunAsync("forecast", "--input", input, "--grid", "rows", "--train-size", "49", "--window-size", "24", "--horizon", "2", "--output", scratch.PathOf("out.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("have 48 (1 missing)", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenALineIsOnlySpacesThenItIsSkippedAndAnInfiniteValueFailsNamingItsLine()
    {
        using var scratch = new CliScratch("forecast-csv-edges");
        var lines = File.ReadAllLines(scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows))).ToList();
        lines.Insert(20, "   ");
        string spaced = scratch.PathOf("spaced.csv");
        File.WriteAllLines(spaced, lines);
        await scratch.RunOkAsync("forecast", "--input", spaced, "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "24", "--output", scratch.PathOf("out.csv"));
        Assert.Equal(Rows - TrainSize + 1, File.ReadAllLines(scratch.PathOf("out.csv")).Length);

        // An infinite value used to be accepted and turned a window's length of forecasts into NaN.
        lines[200] = lines[200].Split(',')[0] + ",Infinity";
        string infinite = scratch.PathOf("infinite.csv");
        File.WriteAllLines(infinite, lines);
        var run = await scratch.RunAsync("forecast", "--input", infinite, "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "24", "--output", scratch.PathOf("inf.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("infinite.csv:201: value 'Infinity' is not finite", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forecast")]
    [InlineData("backtest")]
    public async Task WhenTheOutputCannotBeWrittenThenTheCommandFailsNamingOutputBeforeTraining(string command)
    {
        using var scratch = new CliScratch("forecast-output");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));
        string output = Path.Combine(scratch.PathOf("missing-directory"), "out");
        var run = await scratch.RunAsync(command, "--input", input, "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "24", "--output", output);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"Cannot write --output '{output}'", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("inner-backtest", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheOutputCanBeWrittenThenTheCheckLeavesNoFileBehindOnALaterError()
    {
        using var scratch = new CliScratch("forecast-output-clean");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));
        var run = await scratch.RunAsync("forecast", "--input", input, "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "100", "--output", scratch.PathOf("out.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Too few", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.PathOf("out.csv")));
    }

    [Fact]
    public async Task WhenRankIsGivenWithoutFixedSelectionOrMaxRankWithMlnetThenStderrSaysTheyAreIgnored()
    {
        using var scratch = new CliScratch("forecast-ignored");
        string input = scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows));
        string[] common = ["forecast", "--input", input, "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "24", "--output", scratch.PathOf("out.csv")];
        var rank = await scratch.RunOkAsync([.. common, "--rank", "5"]);
        Assert.Contains("--rank 5 is ignored", rank.StandardError, StringComparison.Ordinal);
        var fixedRank = await scratch.RunOkAsync([.. common, "--rank", "5", "--rank-selection", "Fixed"]);
        Assert.DoesNotContain("is ignored", fixedRank.StandardError, StringComparison.Ordinal);
        var maxRank = await scratch.RunOkAsync([.. common, "--max-rank", "5", "--compat", "mlnet"]);
        Assert.Contains("--max-rank 5 is ignored with --compat mlnet", maxRank.StandardError, StringComparison.Ordinal);
    }
    [Fact]
    public async Task WhenATimestampDoesNotParseThenStderrSaysTheRowsAreUsedInsteadOfTheTimeGrid()
    {
        using var scratch = new CliScratch("backtest-bad-time");
        var lines = File.ReadAllLines(scratch.WriteSeries("series.csv", CliSeries.Seasonal(Rows)));
        lines[250] = "not-a-time," + lines[250].Split(',')[1];
        string input = scratch.PathOf("bad-time.csv");
        File.WriteAllLines(input, lines);
        var run = await scratch.RunOkAsync("backtest", "--input", input, "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "24", "--season", "24", "--output", scratch.PathOf("report.json"));
        Assert.Equal("rows", scratch.ReadJson("report.json").GetProperty("grid_mode").GetString());
        Assert.Contains("note: no time grid: the timestamp 'not-a-time' of data row 250 does not parse", run.StandardError, StringComparison.Ordinal);

        // A file without timestamps uses rows as documented, with nothing to note.
        File.WriteAllLines(scratch.PathOf("plain.csv"), ["value", .. CliSeries.Seasonal(Rows).Select(v => v.ToString("R", CultureInfo.InvariantCulture))]);
        var plain = await scratch.RunOkAsync("backtest", "--input", scratch.PathOf("plain.csv"), "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "24", "--season", "24", "--output", scratch.PathOf("plain.json"));
        Assert.DoesNotContain("no time grid", plain.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAValueExceedsFloat32WithCompatMlnetThenForecastFailsNamingTheRow()
    {
        using var scratch = new CliScratch("forecast-float32");
        var values = CliSeries.Seasonal(Rows);
        values[200] = 1e39;
        string input = scratch.WriteSeries("series.csv", values);
        string[] common = ["forecast", "--input", input, "--horizon", "2", "--train-size", $"{TrainSize}", "--window-size", "24", "--output", scratch.PathOf("out.csv")];
        var mlnet = await scratch.RunAsync([.. common, "--compat", "mlnet"]);
        Assert.Equal(2, mlnet.ExitCode);
        Assert.Contains("(data row 201) exceeds the float32 range", mlnet.StandardError, StringComparison.Ordinal);

        // The default mode computes in double, where the value is finite.
        await scratch.RunOkAsync(common);
    }
}
