namespace MetricsPipeline.Scraper;

/// <summary>
/// Receives one line-protocol line (with its <c>\n</c>) and its series key; <c>KafkaLineProducer.Append</c> fits.
/// The spans are only valid during the call.
/// </summary>
public delegate void ScrapedLineCallback(ReadOnlySpan<byte> seriesKey, ReadOnlySpan<byte> line);
