using System.CommandLine;
using System.Globalization;
using System.Text;
using MetricsPipeline.Host.Anomaly;
using MetricsPipeline.Ingest.Csv;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// <c>metrics-pipeline detect --input series.csv --detector NAME [options] --output out.csv</c>: one output row per input
/// row, <c>index,timestamp,value,alert,score,p_value</c> plus the detector's own columns and <c>anomaly_score</c>.
/// </summary>
internal static class DetectCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("detect", "Run an anomaly detector over a timestamp,value CSV.");
        var input = new Option<FileInfo>("--input") { Description = "The input CSV (timestamp,value).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The output CSV.", Required = true };
        var mode = new Option<string>("--mode") { Description = "batch (whole series) or engine (point by point, ML.NET's prediction engine).", DefaultValueFactory = _ => "batch" };
        mode.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "batch", "engine");
        var detectors = new DetectorOptionSet();
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(mode);
        detectors.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                // Any case, as forecast's --mode (it was case-sensitive here only).
                var engine = string.Equals(parse.GetValue(mode), "engine", StringComparison.OrdinalIgnoreCase);
                var choice = detectors.Resolve(parse, engine);
                foreach (var unused in detectors.Unused(parse, choice.Name))
                {
                    // Said, as forecast says of its ignored options: a typo'd detector name's options would otherwise do nothing silently.
                    Console.Error.WriteLine($"note: {unused} is not used by the {choice.Name} detector.");
                }

                if (engine && !choice.IsOnline)
                {
                    Console.Error.WriteLine($"error: '{choice.Name}' scores an entire series; use --mode batch.");
                    return 2;
                }

                // A directory given as the input was said not to exist; an output that is a directory failed only at the write.
                string inputPath = parse.GetValue(input)!.ToString();
                CliPaths.RequireReadableFile("--input", inputPath);
                CliPaths.RequireWritableFile("--output", parse.GetValue(output)!.ToString());
                var (timestamps, values) = SeriesCsv.Read(inputPath);
                if (values.Length == 0)
                {
                    Console.Error.WriteLine("error: the input has no rows.");
                    return 2;
                }

                var results = choice.Run(values);
                Write(parse.GetValue(output)!.FullName, choice.Columns, timestamps, values, results);
                Console.WriteLine($"{choice.Name}: {values.Length} rows, {results.Count(r => r.Alert)} alerts.");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {CliErrorText.Of(e)}");
                return Program.UsageError;
            }
        });
        return command;
    }

    private static void Write(string path, DetectorColumns columns, List<string> timestamps, double[] values, MetricsPipeline.Anomaly.AnomalyOutput[] results)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var header = new StringBuilder("index,timestamp,value,alert,score,p_value");
        if (columns.HasFlag(DetectorColumns.Martingale))
        {
            header.Append(",martingale");
        }

        if (columns.HasFlag(DetectorColumns.Magnitude))
        {
            header.Append(",magnitude");
        }

        if (columns.HasFlag(DetectorColumns.Expected))
        {
            header.Append(",expected");
        }

        if (columns.HasFlag(DetectorColumns.Bounds))
        {
            header.Append(",upper,lower");
        }

        header.Append(",anomaly_score");
        writer.WriteLine(header);
        var line = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            var r = results[i];
            line.Clear();
            line.Append(i).Append(',').Append(CsvRecords.Quote(timestamps[i])).Append(',').Append(Format(values[i])).Append(',')
                .Append(r.Alert ? '1' : '0').Append(',').Append(Format(r.Score)).Append(',').Append(Format(r.PValue));
            if (columns.HasFlag(DetectorColumns.Martingale))
            {
                line.Append(',').Append(Format(r.Martingale));
            }

            if (columns.HasFlag(DetectorColumns.Magnitude))
            {
                line.Append(',').Append(Format(r.Magnitude));
            }

            if (columns.HasFlag(DetectorColumns.Expected))
            {
                line.Append(',').Append(Format(r.Expected));
            }

            if (columns.HasFlag(DetectorColumns.Bounds))
            {
                line.Append(',').Append(Format(r.Upper)).Append(',').Append(Format(r.Lower));
            }

            line.Append(',').Append(Format(r.AnomalyScore));
            writer.WriteLine(line);
        }
    }

    private static string Format(double value) => double.IsNaN(value) ? string.Empty : value.ToString("R", CultureInfo.InvariantCulture);
}
