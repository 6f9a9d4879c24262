using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Scraper;

/// <summary>The outcome of one scrape.</summary>
/// <param name="Target">The scraped URL.</param>
/// <param name="Success">Whether the endpoint answered 2xx with a body within the limits before the timeout.</param>
/// <param name="Error">Why it failed, or <c>null</c>.</param>
/// <param name="Points">The points produced (empty on failure).</param>
/// <param name="Exposition">The parsed exposition (families with HELP/TYPE/UNIT), or <c>null</c> on failure.</param>
/// <param name="SkippedNonFinite">Samples skipped because their value was NaN or ±Inf.</param>
/// <param name="Duration">How long the scrape took.</param>
public sealed record ScrapeResult(
    Uri Target,
    bool Success,
    string? Error,
    IReadOnlyList<MetricPoint> Points,
    PrometheusExposition? Exposition,
    int SkippedNonFinite,
    TimeSpan Duration);
