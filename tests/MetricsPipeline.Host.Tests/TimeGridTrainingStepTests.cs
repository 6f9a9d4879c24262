using System.Globalization;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// The time grid's step comes from the training rows' timestamps only (issue 4: training never sees rows beyond
/// <c>--train-size</c>): 5-minute training rows followed by 1-minute test rows keep a 300-s step.
/// </summary>
public class TimeGridTrainingStepTests
{
    private const int TrainRows = 200;

    private static void Write(string path)
    {
        var values = CliSeries.Seasonal(TrainRows + 600);
        var lines = new List<string> { "timestamp,value" };
        var t = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < values.Length; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t:yyyy-MM-dd HH:mm:ss},{values[i]:R}"));
            t = t.AddMinutes(i < TrainRows ? 5 : 1);
        }

        File.WriteAllLines(path, lines);
    }

    [Fact]
    public async Task WhenTheTestRowsAreSpacedCloserThenTheStepStillComesFromTheTrainingRows()
    {
        using var scratch = new CliScratch("grid-train-step");
        string input = scratch.PathOf("closer.csv");
        Write(input);
        await scratch.RunOkAsync(["backtest", "--input", input, "--season", "24", "--window-size", "24", "--horizon", "12",
            "--train-size", $"{TrainRows}", "--output", scratch.PathOf("report.json")]);

        var report = scratch.ReadJson("report.json");
        var grid = report.GetProperty("grid");
        // The median spacing of all 800 rows is 60 s; of the 200 training rows, 300 s.
        Assert.Equal(300, grid.GetProperty("step_seconds").GetDouble());
        Assert.Equal(TrainRows, grid.GetProperty("train_slots").GetInt32());
        // The report's own step and hour step follow the grid (an hour is 12 steps of 300 s; the 60-s spacing of all rows would make it 60).
        Assert.Equal(300, report.GetProperty("step_seconds").GetDouble());
        Assert.Equal(12, report.GetProperty("hour_step").GetInt32());
    }
}
