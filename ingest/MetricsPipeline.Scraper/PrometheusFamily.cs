namespace MetricsPipeline.Scraper;

/// <summary>A metric family: its name, <c># TYPE</c>, <c># HELP</c>, <c># UNIT</c> and samples, in exposition order.</summary>
public sealed class PrometheusFamily
{
    /// <summary>Creates an empty family.</summary>
    public PrometheusFamily(string name, PrometheusMetricType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The family name (for OpenMetrics counters, without <c>_total</c>).</summary>
    public string Name { get; }

    /// <summary>The declared type; <see cref="PrometheusMetricType.Untyped"/> when none was declared.</summary>
    public PrometheusMetricType Type { get; internal set; }

    /// <summary>The <c># HELP</c> text (unescaped), or <c>null</c>.</summary>
    public string? Help { get; internal set; }

    /// <summary>The OpenMetrics <c># UNIT</c>, or <c>null</c>.</summary>
    public string? Unit { get; internal set; }

    /// <summary>The samples.</summary>
    public List<PrometheusSample> Samples { get; } = [];
}
