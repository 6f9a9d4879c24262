namespace MetricsPipeline.Ingest.Model;

/// <summary>
/// Input or output that could not be processed, with the precise reason. Dead letters are never dropped
/// silently: they go to a dead-letter sink (a Kafka topic or a file) and are counted.
/// </summary>
/// <param name="Stage">The pipeline stage that rejected it (e.g. <c>parse</c>, <c>influxdb</c>).</param>
/// <param name="Reason">A short machine-readable reason (e.g. <c>invalid_field_value</c>, <c>http_400</c>).</param>
/// <param name="Message">A human-readable explanation, including position where there is one.</param>
/// <param name="Payload">The rejected bytes (one line, or a whole batch).</param>
/// <param name="Line">1-based line number inside the source message, or 0 when not applicable.</param>
/// <param name="Column">1-based byte column inside that line, or 0 when not applicable.</param>
/// <param name="Source">Where it came from, e.g. <c>metrics/3@1042</c> (topic/partition@offset).</param>
public sealed record DeadLetter(
    string Stage,
    string Reason,
    string Message,
    ReadOnlyMemory<byte> Payload,
    int Line = 0,
    int Column = 0,
    string? Source = null);
