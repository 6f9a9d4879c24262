using System.Globalization;
using System.Text.Json;
using Xunit;

namespace MetricsPipeline.Host.Tests;

/// <summary>
/// <c>backtest</c> and <c>forecast</c> on a timestamped series with gaps and a duplicated timestamp: the time grid is
/// used by default (issue 4: a step is a fixed time ahead), <c>--grid rows</c> and <c>--compat mlnet</c> keep the rows.
/// </summary>
public class TimeGridCliTests
{
    private const int Slots = 400;
    private const int TrainRows = 160;
    private const int DuplicatedSlot = 100;
    private const int EmptyRow = TrainRows + 39;
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// 5-minute slots 0…399 of a 24-slot season; every slot with i % 5 == 3 has no row (80 gaps) and slot 100 has two
    /// rows (the second 1 higher); row <see cref="EmptyRow"/> has an empty value cell. Returns the slot of each row.
    /// </summary>
    private static int[] WriteIrregular(string path, Func<int, double, double>? change = null, int secondDuplicate = -1)
    {
        var values = CliSeries.Seasonal(Slots);
        var lines = new List<string> { "timestamp,value" };
        var slots = new List<int>();
        for (int i = 0; i < Slots; i++)
        {
            if (i % 5 == 3)
            {
                continue;
            }

            for (int copy = 0; copy < (i == DuplicatedSlot || i == secondDuplicate ? 2 : 1); copy++)
            {
                double v = (change ?? ((_, x) => x))(slots.Count, values[i] + copy);
                string cell = slots.Count == EmptyRow ? string.Empty : v.ToString("R", CultureInfo.InvariantCulture);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{cell}"));
                slots.Add(i);
            }
        }

        File.WriteAllLines(path, lines);
        return [.. slots];
    }

    [Fact]
    public async Task WhenTheRowsHaveGapsThenBacktestRunsOnTheTimeGridAndReportsItAndGridRowsKeepsTheRows()
    {
        using var scratch = new CliScratch("backtest-grid");
        string input = scratch.PathOf("irregular.csv");
        var slots = WriteIrregular(input);
        string[] common = ["backtest", "--input", input, "--season", "24", "--window-size", "24", "--horizon", "12", "--train-size", $"{TrainRows}"];
        await scratch.RunOkAsync([.. common, "--output", scratch.PathOf("time.json")]);
        await scratch.RunOkAsync([.. common, "--grid", "rows", "--output", scratch.PathOf("rows.json")]);

        var time = scratch.ReadJson("time.json");
        Assert.Equal("time", time.GetProperty("grid_mode").GetString());
        var grid = time.GetProperty("grid");
        Assert.Equal(300, grid.GetProperty("step_seconds").GetDouble());
        Assert.Equal(Slots, grid.GetProperty("slots").GetInt32());
        Assert.Equal(Slots - 81, grid.GetProperty("real_rows").GetInt32());
        Assert.Equal(81, grid.GetProperty("filled_slots").GetInt32());
        Assert.Equal(1, grid.GetProperty("dropped_rows").GetInt32());
        Assert.Equal(slots[TrainRows - 1] + 1, grid.GetProperty("train_slots").GetInt32());
        Assert.Equal(TrainRows, time.GetProperty("train_size").GetInt32());
        Assert.Equal(12, time.GetProperty("hour_step").GetInt32());
        Assert.Equal(300, time.GetProperty("step_seconds").GetDouble());

        // Origins are the real slots from the last training slot on (all but the last slot, which has no target);
        // step 1's targets are the real slots after them: a gap slot is never scored.
        int trainSlots = slots[TrainRows - 1] + 1;
        bool Real(int i) => i % 5 != 3 && i != slots[EmptyRow];
        int realOrigins = Enumerable.Range(trainSlots - 1, Slots - trainSlots).Count(Real);
        Assert.Equal(realOrigins, time.GetProperty("origins").GetInt32());
        var steps = time.GetProperty("steps").EnumerateArray().ToArray();
        int realTargets = Enumerable.Range(trainSlots - 1, Slots - trainSlots).Count(i => Real(i) && Real(i + 1));
        Assert.Equal(realTargets, steps[0].GetProperty("count").GetInt32());

        // The seasonal forecaster on the grid beats naive one hour ahead by far (half a season: the wave's other side).
        Assert.True(steps[11].GetProperty("mase").GetDouble() < steps[11].GetProperty("naive_mase").GetDouble() / 4);

        var rows = scratch.ReadJson("rows.json");
        Assert.Equal("rows", rows.GetProperty("grid_mode").GetString());
        Assert.Equal(JsonValueKind.Null, rows.GetProperty("grid").ValueKind);
        Assert.Equal(slots.Length - TrainRows, rows.GetProperty("origins").GetInt32());
    }

    [Fact]
    public async Task WhenTheRowsHaveGapsThenForecastWritesOneLinePerInputRowAndNoForecastSeesALaterRow()
    {
        using var scratch = new CliScratch("forecast-grid");
        string a = scratch.PathOf("a.csv");
        var slots = WriteIrregular(a);
        const int k = EmptyRow + 1;
        string b = scratch.PathOf("b.csv");
        WriteIrregular(b, (row, v) => row >= k ? (v * 3) + 40 : v);
        string[] common = ["forecast", "--season", "24", "--window-size", "24", "--horizon", "3", "--train-size", $"{TrainRows}"];
        await scratch.RunOkAsync([.. common, "--input", a, "--output", scratch.PathOf("a.out")]);
        await scratch.RunOkAsync([.. common, "--input", b, "--output", scratch.PathOf("b.out")]);

        var before = File.ReadAllLines(scratch.PathOf("a.out"));
        var after = File.ReadAllLines(scratch.PathOf("b.out"));
        var inputLines = File.ReadAllLines(a);
        Assert.Equal(slots.Length - TrainRows, before.Length - 1);
        for (int l = 1; l < before.Length; l++)
        {
            int row = TrainRows + l - 1;
            var cells = before[l].Split(',');
            Assert.Equal(row.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(inputLines[row + 1], row == EmptyRow ? $"{cells[1]}," : $"{cells[1]},{cells[2]}");
        }

        // forecast_1 is one 5-minute slot ahead, also at a row before a gap: near the season's value at slot + 1.
        var truth = CliSeries.Seasonal(Slots);
        double meanError = Enumerable.Range(1, before.Length - 1)
            .Where(l => slots[TrainRows + l - 1] + 1 < Slots)
            .Average(l => Math.Abs(double.Parse(before[l].Split(',')[3], CultureInfo.InvariantCulture) - truth[slots[TrainRows + l - 1] + 1]));
        Assert.True(meanError < 3, $"mean one-slot error {meanError}");

        // Causality: the lines of the rows before k are identical, also that of the row without a value just before k (its
        // slot is interpolated towards row k, so its forecast is made at the last real slot before it); the line of row
        // k (which consumed the change) is not.
        int unchanged = k - TrainRows;
        Assert.Equal(before.Take(unchanged + 1), after.Take(unchanged + 1));
        Assert.NotEqual(before[unchanged + 1], after[unchanged + 1]);
    }

    [Fact]
    public async Task WhenALaterRowSharesATestSlotThenItsValueChangesNoForecast()
    {
        // Slot 300 (after the training rows) gets a second row. The grid keeps the first row's value, so the second row's
        // value reaches no forecast: not the first row's (made when it arrived), not its own, not any later one.
        const int slot = 300;
        using var scratch = new CliScratch("forecast-grid-duplicate");
        string a = scratch.PathOf("a.csv");
        var slots = WriteIrregular(a, secondDuplicate: slot);
        int second = Array.LastIndexOf(slots, slot);
        Assert.True(second > TrainRows && slots[second - 1] == slot);
        string b = scratch.PathOf("b.csv");
        WriteIrregular(b, (row, v) => row == second ? v + 500 : v, secondDuplicate: slot);
        string[] common = ["forecast", "--season", "24", "--window-size", "24", "--horizon", "3", "--train-size", $"{TrainRows}"];
        await scratch.RunOkAsync([.. common, "--input", a, "--output", scratch.PathOf("a.out")]);
        await scratch.RunOkAsync([.. common, "--input", b, "--output", scratch.PathOf("b.out")]);

        var before = File.ReadAllLines(scratch.PathOf("a.out"));
        var after = File.ReadAllLines(scratch.PathOf("b.out"));
        Assert.Equal(before.Length, after.Length);
        int changedLine = second - TrainRows + 1;
        for (int l = 0; l < before.Length; l++)
        {
            var x = before[l].Split(',');
            var y = after[l].Split(',');
            Assert.Equal(x[3..], y[3..]);
            Assert.Equal(l == changedLine, x[2] != y[2]);
        }

        // The second row gets the forecast made at its slot, the first row's.
        Assert.Equal(before[changedLine - 1].Split(',')[3..], before[changedLine].Split(',')[3..]);
    }

    [Fact]
    public async Task WhenCompatIsMlnetThenTheRowsAreUsedWhateverTheGridOption()
    {
        using var scratch = new CliScratch("grid-mlnet");
        string input = scratch.PathOf("irregular.csv");
        WriteIrregular(input);
        string[] common = ["forecast", "--input", input, "--compat", "mlnet", "--window-size", "24", "--horizon", "3", "--train-size", $"{TrainRows}"];
        await scratch.RunOkAsync([.. common, "--output", scratch.PathOf("default.out")]);
        await scratch.RunOkAsync([.. common, "--grid", "rows", "--output", scratch.PathOf("rows.out")]);
        Assert.Equal(File.ReadAllLines(scratch.PathOf("rows.out")), File.ReadAllLines(scratch.PathOf("default.out")));

        await scratch.RunOkAsync("backtest", "--input", input, "--compat", "mlnet", "--window-size", "24", "--horizon", "3", "--train-size", $"{TrainRows}", "--output", scratch.PathOf("mlnet.json"));
        var report = scratch.ReadJson("mlnet.json");
        Assert.Equal("rows", report.GetProperty("grid_mode").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("grid").ValueKind);
    }
}
