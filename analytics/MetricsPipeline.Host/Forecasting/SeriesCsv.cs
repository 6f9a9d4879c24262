using System.Globalization;
using MetricsPipeline.Forecasting;
using MetricsPipeline.Ingest.Csv;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>
/// A series read from a CSV file with a header, a <c>value</c> column and an optional <c>timestamp</c> column; fields
/// may be quoted as RFC 4180 writes them (<see cref="CsvRecords"/>).
/// </summary>
/// <param name="Timestamps">The timestamp column as text (empty strings if the file has none).</param>
/// <param name="Values">The values; empty cells (and the text NaN) become NaN, a missing value.</param>
internal sealed record SeriesCsv(string[] Timestamps, double[] Values)
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> with the line number on bad input.</summary>
    public static SeriesCsv Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Input file '{path}' does not exist.");
        }

        using var reader = new StreamReader(path);
        // Fields are read as RFC 4180 quotes them: a quoted timestamp or label holding a comma no longer shifts the columns.
        using var records = CsvRecords.Read(reader, path).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new InvalidDataException($"Input file '{path}' is empty; expected a header with a 'value' column.");
        }

        var columns = records.Current.Fields;
        int valueColumn = Array.FindIndex(columns, c => c.Equals("value", StringComparison.OrdinalIgnoreCase));
        int timeColumn = Array.FindIndex(columns, c => c.Equals("timestamp", StringComparison.OrdinalIgnoreCase));
        if (valueColumn < 0)
        {
            throw new InvalidDataException($"Input file '{path}' has no 'value' column (header: {string.Join(',', columns)}).");
        }

        var times = new List<string>();
        var values = new List<double>();
        while (records.MoveNext())
        {
            var (cells, lineNumber, _) = records.Current;
            if (cells.Length <= valueColumn)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected at least {valueColumn + 1} columns, got {cells.Length}.");
            }

            string cell = cells[valueColumn];
            double value;
            if (cell.Length == 0)
            {
                value = double.NaN;
            }
            else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: value '{cell}' is not a number.");
            }
            else if (double.IsInfinity(value))
            {
                // An infinite (or float-overflowing, e.g. 1e999) value would poison the model's state for a window's length
                // of forecasts, all NaN; NaN is the way to write a missing value.
                throw new InvalidDataException($"{path}:{lineNumber}: value '{cell}' is not finite (leave the cell empty or write NaN for a missing value).");
            }

            values.Add(value);
            times.Add(timeColumn >= 0 && cells.Length > timeColumn ? cells[timeColumn] : string.Empty);
        }

        return new SeriesCsv([.. times], [.. values]);
    }

    /// <summary>
    /// Why <see cref="ToTimeGrid"/> returns null although the file has timestamps (the first one that does not parse, or
    /// a single distinct time), or null when it has none at all (no column or every cell empty) or they make a grid.
    /// </summary>
    public string? WhyNoTimeGrid()
    {
        if (Timestamps.All(t => t.Length == 0))
        {
            return null;
        }

        for (int i = 0; i < Timestamps.Length; i++)
        {
            if (!DateTimeOffset.TryParse(Timestamps[i], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return $"the timestamp '{Timestamps[i]}' of data row {i + 1} does not parse";
            }
        }

        return Timestamps.Distinct().Take(2).Count() < 2 ? "the timestamps are all the same" : null;
    }

    /// <summary>
    /// The rows on a <see cref="TimeGrid"/>, or null when there is nothing to put on one: no timestamp column, a
    /// timestamp that does not parse, or fewer than two distinct timestamps.
    /// </summary>
    /// <param name="trainRows">The training rows: their spacing alone sets the step (all rows by default).</param>
    /// <exception cref="ArgumentException">The timestamps decrease or the grid would be absurdly long (<see cref="TimeGrid.Build"/>).</exception>
    public TimeGrid? ToTimeGrid(int trainRows = int.MaxValue)
    {
        var times = new DateTimeOffset[Timestamps.Length];
        for (int i = 0; i < times.Length; i++)
        {
            if (!DateTimeOffset.TryParse(Timestamps[i], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out times[i]))
            {
                return null;
            }
        }

        // With one distinct timestamp among the training rows there is no step to take from them: rows, as with none at all.
        int stepRows = Math.Max(2, Math.Min(trainRows, times.Length));
        return times.Take(stepRows).Distinct().Take(2).Count() < 2 ? null : TimeGrid.Build(times, Values, stepRows: stepRows);
    }
}
