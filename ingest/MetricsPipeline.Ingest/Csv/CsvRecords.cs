using System.Text;

namespace MetricsPipeline.Host.Forecasting;

/// <summary>
/// Splits CSV text into records as RFC 4180 writes them: a field in double quotes may hold commas, line breaks and
/// doubled quotes (<c>""</c> reads as one <c>"</c>). Leniencies kept from the reader this replaced: spaces around a field
/// (and around a quoted one) are dropped, and a line of only spaces is skipped. A quote inside an unquoted field, text
/// after a closing quote, or a quote still open at the end of the file is an error naming the line.
/// </summary>
internal static class CsvRecords
{
    /// <summary>One record: its fields and the line (1-based) it starts on.</summary>
    /// <exception cref="InvalidDataException">A malformed quote; the message starts <c>{path}:{line}:</c>.</exception>
    public static IEnumerable<(string[] Fields, int Line)> Read(TextReader reader, string path)
    {
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            // A line of spaces (or the bare CR of a stray CRLF) is as blank as an empty one, not a row with too few columns.
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            int start = lineNumber;
            var fields = new List<string>();
            var field = new StringBuilder();
            int i = 0;
            while (true)
            {
                while (i < line.Length && line[i] is ' ' or '\t')
                {
                    i++;
                }

                if (i < line.Length && line[i] == '"')
                {
                    // A quoted field: runs to the quote not followed by another, across line breaks.
                    i++;
                    while (true)
                    {
                        if (i == line.Length)
                        {
                            line = reader.ReadLine() ?? throw new InvalidDataException($"{path}:{start}: a quoted field is not closed before the end of the file.");
                            lineNumber++;
                            field.Append('\n');
                            i = 0;
                            continue;
                        }

                        if (line[i] != '"')
                        {
                            field.Append(line[i++]);
                        }
                        else if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                        }
                        else
                        {
                            i++;
                            break;
                        }
                    }

                    while (i < line.Length && line[i] is ' ' or '\t' or '\r')
                    {
                        i++;
                    }

                    if (i < line.Length && line[i] != ',')
                    {
                        throw new InvalidDataException($"{path}:{lineNumber}: text after the closing quote of a field (column {fields.Count + 1}); a quote inside a quoted field is written twice (\"\").");
                    }
                }
                else
                {
                    int end = line.IndexOf(',', i);
                    var text = line.AsSpan(i, (end < 0 ? line.Length : end) - i);
                    if (text.Contains('"'))
                    {
                        throw new InvalidDataException($"{path}:{lineNumber}: a quote inside an unquoted field (column {fields.Count + 1}); quote the whole field and write the quote twice (\"\").");
                    }

                    field.Append(text.Trim());
                    i = end < 0 ? line.Length : end;
                }

                fields.Add(field.ToString());
                field.Clear();
                if (i >= line.Length)
                {
                    break;
                }

                i++; // the comma
            }

            yield return ([.. fields], start);
        }
    }
}
