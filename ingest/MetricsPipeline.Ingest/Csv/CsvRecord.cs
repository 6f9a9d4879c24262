namespace MetricsPipeline.Ingest.Csv;

/// <summary>One CSV record read by <see cref="CsvRecords"/>.</summary>
/// <param name="Fields">The fields, unquoted and trimmed (at least one; an empty line is no record).</param>
/// <param name="Line">The 1-based line the record starts on (a quoted field may run over later lines).</param>
/// <param name="Text">The record's text as written, for messages (its lines joined by <c>\n</c>).</param>
public readonly record struct CsvRecord(string[] Fields, int Line, string Text);
