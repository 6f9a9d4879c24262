using System.CommandLine;
using System.Globalization;
using System.Text;
using MetricsPipeline.Forecasting;
using MetricsPipeline.Host.Forecasting;
using MetricsPipeline.Ingest.Csv;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline forecast</c>: trains an SSA forecaster on the first <c>--train-size</c> rows and writes, per
/// consumed row, the forecasts of the next <c>--horizon</c> steps with their bounds. Timestamped rows are put on a
/// <see cref="TimeGrid"/> by default (<c>--grid time</c>): <c>forecast_k</c> is then k grid steps (k × the median
/// spacing) ahead, while the output keeps one line per consumed input row and <c>--train-size</c> counts input rows;
/// <c>--grid rows</c> and <c>--compat mlnet</c> count rows as before.
/// </summary>
internal static class ForecastCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var cli = new SsaCliOptions();
        var mode = new Option<string>("--mode") { Description = "batch (ML.NET Transform: replay every row from row 0) or engine (consume rows after the training rows).", DefaultValueFactory = _ => "engine" };
        mode.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "batch", "engine");
        var command = new Command("forecast", "Forecast a series with SSA (ML.NET ForecastBySsa semantics). One output row per consumed input row; with timestamps (--grid time, the default) forecast_k is k time-grid steps (k x the median spacing) ahead, gaps between rows are filled by interpolation when the next row arrives; --train-size counts input rows.");
        cli.AddTo(command);
        command.Options.Add(mode);
        command.SetAction(parse =>
        {
            try
            {
                Run(parse, cli, string.Equals(parse.GetValue(mode), "batch", StringComparison.OrdinalIgnoreCase));
                return 0;
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // What the user gave (the input, an option, the output path): a usage error, as for every command.
                Console.Error.WriteLine($"forecast: {CliErrorText.Of(ex)}");
                return Program.UsageError;
            }
        });
        return command;
    }

    private static void Run(ParseResult parse, SsaCliOptions cli, bool batch)
    {
        // The output is checked with the options (SsaCliOptions.Build), before the training.
        CliPaths.RequireReadableFile("--input", parse.GetValue(cli.Input)!);
        var series = SeriesCsv.Read(parse.GetValue(cli.Input)!);
        var progress = new StderrProgress("forecast");
        var (options, tuning, grid, trainRows) = cli.Build(parse, series, progress);
        BacktestCommand.ApplyTunedModel(parse, cli, options, tuning);
        BacktestCommand.ApplyRecalibration(options, SsaForecasterOptions.DefaultRecalibrationWindow);
        var model = SsaForecaster.Train(options, grid is null ? series.Values.AsSpan(0, options.TrainSize) : grid.Values[..options.TrainSize]);
        progress.Report($"trained: model {BacktestCommand.Model(options)}, window {model.WindowSize}, rank {model.Rank}, season {tuning.Season}, train rows {trainRows}{(grid is null ? string.Empty : $" ({options.TrainSize} time-grid slots)")}, bound recalibration {options.RecalibrationWindow}");
        int h = options.Horizon;
        var f = new double[h];
        var lo = new double[h];
        var up = new double[h];
        using var writer = new StreamWriter(parse.GetValue(cli.Output)!, false, new UTF8Encoding(false));
        var header = new StringBuilder("index,timestamp,value");
        foreach (string prefix in new[] { "forecast", "lower", "upper" })
        {
            for (int i = 1; i <= h; i++)
            {
                header.Append(CultureInfo.InvariantCulture, $",{prefix}_{i}");
            }
        }

        writer.WriteLine(header);
        int first = batch ? 0 : trainRows;
        int n = series.Values.Length;
        if (first >= n)
        {
            // Said, not left to an output of one header line: the engine consumes (and forecasts after) rows after training only.
            progress.Report($"note: no rows after the {trainRows} training rows (--train-size), so the output has no forecast rows; --mode batch replays every row (its last line forecasts past the end), or give a smaller --train-size.");
        }
        var line = new StringBuilder();

        // On the grid the model consumes slots, and an input row is reached when its slot is: the filled slots before it
        // (interpolated up to this row's value) first, then its own. A row whose slot an earlier row holds (TimeGrid keeps the
        // first) gets the forecast made at that slot, which did not see it. A row
        // without a value stops at the last real slot before it: its own slot is interpolated towards a later row.
        int nextSlot = batch ? 0 : options.TrainSize;
        for (int row = first; row < n; row++)
        {
            if (grid is null)
            {
                model.Consume(series.Values[row]);
            }
            else
            {
                int through = grid.SlotOf(row);
                while (through >= 0 && !grid.Real[through])
                {
                    through--;
                }

                for (; nextSlot <= through; nextSlot++)
                {
                    if (grid.Real[nextSlot])
                    {
                        model.Consume(grid.Values[nextSlot]);
                    }
                    else
                    {
                        model.ConsumeFilled(grid.Values[nextSlot]);
                    }
                }
            }

            model.Forecast(f, lo, up);
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{row},{CsvRecords.Quote(series.Timestamps[row])},{series.Values[row].ToString("R", CultureInfo.InvariantCulture)}");
            Append(line, f);
            Append(line, lo);
            Append(line, up);
            writer.WriteLine(line);
            if ((row - first) % 1000 == 0)
            {
                progress.Report((double)(row - first + 1) / (n - first));
            }
        }

        progress.Report(1.0);
    }

    private static void Append(StringBuilder line, double[] values)
    {
        foreach (double v in values)
        {
            line.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
