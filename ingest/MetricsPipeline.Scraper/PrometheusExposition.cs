namespace MetricsPipeline.Scraper;

/// <summary>A parsed exposition: its families, and the lines that could not be read (never thrown).</summary>
public sealed class PrometheusExposition
{
    /// <summary>The families in exposition order.</summary>
    public List<PrometheusFamily> Families { get; } = [];

    /// <summary>One entry per unreadable line: <c>line N: reason</c>.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Total samples over all families.</summary>
    public int SampleCount => Families.Sum(f => f.Samples.Count);
}
