using System.Text;

namespace MetricsPipeline.Ingest.Csv;

/// <summary>
/// Splits CSV text into records as RFC 4180 writes them: a field in double quotes may hold commas, line breaks and
/// doubled quotes (<c>""</c> reads as one <c>"</c>). Leniencies kept from the readers this replaced: spaces around a field
/// (and around a quoted one) are dropped, and a line of only spaces is skipped. A quote inside an unquoted field, text
/// after a closing quote, or a quote still open at the end of the file is an error naming the line. The one reader of
/// the <c>forecast</c>, <c>backtest</c>, <c>detect</c> and <c>simulate</c> inputs. Stateless; thread-safe.
/// </summary>
public static class CsvRecords
{
    /// <summary>Reads the records of <paramref name="reader"/> lazily, one per (logical) row.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="name">The file's name or path, the prefix of error messages.</param>
    /// <param name="skipComments">
    /// Whether a line starting with <c>#</c> (where a record would start) is a comment and skipped, quotes and all. The
    /// default is false (such a line is a record).
    /// </param>
    /// <exception cref="InvalidDataException">A malformed quote; the message starts <c>{name}:{line}:</c>.</exception>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string name, bool skipComments = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadCore(reader, name, skipComments);
    }

    /// <summary>
    /// <paramref name="text"/> as a CSV field that <see cref="Read"/> reads back as it is: in double quotes, inner quotes
    /// doubled, when it holds a comma, a quote or a line break; as it is otherwise.
    /// </summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny(",\"\n\r") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static IEnumerable<CsvRecord> ReadCore(TextReader reader, string name, bool skipComments)
    {
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            // A line of spaces (or the bare CR of a stray CRLF) is as blank as an empty one, not a row with too few columns.
            if (string.IsNullOrWhiteSpace(line) || (skipComments && line[0] == '#'))
            {
                continue;
            }

            int start = lineNumber;
            var text = new StringBuilder(line);
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
                            line = reader.ReadLine() ?? throw new InvalidDataException($"{name}:{start}: a quoted field is not closed before the end of the file.");
                            lineNumber++;
                            field.Append('\n');
                            text.Append('\n').Append(line);
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
                        throw new InvalidDataException($"{name}:{lineNumber}: text after the closing quote of a field (column {fields.Count + 1}); a quote inside a quoted field is written twice (\"\").");
                    }
                }
                else
                {
                    int end = line.IndexOf(',', i);
                    var cell = line.AsSpan(i, (end < 0 ? line.Length : end) - i);
                    if (cell.Contains('"'))
                    {
                        throw new InvalidDataException($"{name}:{lineNumber}: a quote inside an unquoted field (column {fields.Count + 1}); quote the whole field and write the quote twice (\"\").");
                    }

                    field.Append(cell.Trim());
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

            yield return new CsvRecord([.. fields], start, text.ToString().TrimEnd('\r'));
        }
    }
}
