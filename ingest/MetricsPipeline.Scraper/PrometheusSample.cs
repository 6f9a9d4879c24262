namespace MetricsPipeline.Scraper;

/// <summary>One sample line of an exposition.</summary>
/// <param name="Name">The sample's metric name (e.g. <c>http_requests_total</c>, <c>rpc_seconds_bucket</c>).</param>
/// <param name="Labels">The labels in the order written (escapes resolved).</param>
/// <param name="Value">The value (may be NaN or ±infinity).</param>
/// <param name="TimestampNs">The sample's own timestamp in Unix nanoseconds, or <c>null</c> (the scrape time applies).</param>
public sealed record PrometheusSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, long? TimestampNs);
