using System.Globalization;
using MetricsPipeline.Ingest.Csv;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>
/// Reads a <c>timestamp,value</c> CSV (header row optional; columns after the second are ignored); timestamps are kept
/// as text. Fields may be quoted as RFC 4180 writes them (<see cref="CsvRecords"/>, the reader of <c>forecast</c> and
/// <c>backtest</c>): a quoted timestamp may hold commas.
/// </summary>
internal static class SeriesCsv
{
    /// <summary>Reads the file. Empty values become NaN; infinite ones are refused.</summary>
    /// <exception cref="InvalidDataException">A row has one field, an unparsable or infinite value, or a malformed quote (with its line).</exception>
    public static (List<string> Timestamps, double[] Values) Read(string path)
    {
        var timestamps = new List<string>();
        var values = new List<double>();
        bool first = true;
        using var reader = new StreamReader(path);
        foreach (var (fields, lineNumber, _) in CsvRecords.Read(reader, path))
        {
            bool header = first;
            first = false;
            if (fields.Length < 2)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'timestamp,value'.");
            }

            string cell = fields[1];
            double value;
            if (cell.Length == 0)
            {
                value = double.NaN;
            }
            else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                if (header)
                {
                    continue; // the header row
                }

                throw new InvalidDataException($"{path}:{lineNumber}: '{cell}' is not a number.");
            }
            else if (double.IsInfinity(value))
            {
                // An infinite value (or one overflowing, e.g. 1e999) left every later p-value NaN and score infinite: the
                // detector was off for the rest of the series. An empty cell is the way to write a missing value.
                throw new InvalidDataException($"{path}:{lineNumber}: '{cell}' is not finite (leave the cell empty for a missing value).");
            }

            timestamps.Add(fields[0]);
            values.Add(value);
        }

        return (timestamps, values.ToArray());
    }
}
