using System.Globalization;

namespace MetricsPipeline.Host.Anomaly;

/// <summary>Reads a <c>timestamp,value</c> CSV (header row optional); timestamps are kept as text.</summary>
internal static class SeriesCsv
{
    /// <summary>Reads the file. Empty values become NaN.</summary>
    /// <exception cref="InvalidDataException">A row has no comma or an unparsable value.</exception>
    public static (List<string> Timestamps, double[] Values) Read(string path)
    {
        var timestamps = new List<string>();
        var values = new List<double>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'timestamp,value'.");
            }

            var cell = line.AsSpan(comma + 1).Trim();
            var next = cell.IndexOf(',');
            if (next >= 0)
            {
                cell = cell[..next].Trim();
            }

            double value;
            if (cell.IsEmpty)
            {
                value = double.NaN;
            }
            else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                if (lineNumber == 1)
                {
                    continue; // the header row
                }

                throw new InvalidDataException($"{path}:{lineNumber}: '{cell.ToString()}' is not a number.");
            }

            timestamps.Add(line[..comma]);
            values.Add(value);
        }

        return (timestamps, values.ToArray());
    }
}
