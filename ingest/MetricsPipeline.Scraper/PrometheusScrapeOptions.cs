namespace MetricsPipeline.Scraper;

/// <summary>Settings of the Prometheus scraper (bound from the <c>Scrape</c> section).</summary>
public sealed class PrometheusScrapeOptions
{
    /// <summary>The endpoints to scrape, e.g. <c>http://127.0.0.1:9100/metrics</c>.</summary>
    public IList<Uri> Targets { get; } = [];

    /// <summary>Time between scrapes of a target. The default is 15 s (Prometheus's default).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one scrape may take before it is abandoned and counted as failed. The default is 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Labels added to every point of every target as tags (e.g. <c>job=node</c>); a sample's own label wins.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether each point gets an <c>instance</c> tag with the target's <c>host:port</c>, as Prometheus does. The default is true.</summary>
    public bool AddInstanceLabel { get; set; } = true;

    /// <summary>The largest accepted exposition in bytes; a larger body fails the scrape. The default is 16 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024 * 1024;
}
