namespace MetricsPipeline.Scraper;

/// <summary>The <c># TYPE</c> of a metric family (Prometheus text format 0.0.4 and OpenMetrics 1.0).</summary>
public enum PrometheusMetricType
{
    /// <summary>No <c># TYPE</c> line (or <c>untyped</c>/<c>unknown</c>).</summary>
    Untyped,

    /// <summary>A monotonically increasing count.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Cumulative buckets (<c>_bucket{le=...}</c>) plus <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,

    /// <summary>Quantiles (<c>{quantile=...}</c>) plus <c>_sum</c> and <c>_count</c>.</summary>
    Summary,

    /// <summary>OpenMetrics gauge histogram (<c>_bucket</c>, <c>_gsum</c>, <c>_gcount</c>).</summary>
    GaugeHistogram,

    /// <summary>OpenMetrics info (<c>_info</c>, value 1).</summary>
    Info,

    /// <summary>OpenMetrics state set (one sample per state, 0 or 1).</summary>
    StateSet,
}
