namespace MetricsPipeline.Analytics.Windows;

/// <summary>Settings of <see cref="SlidingWindowStore"/> (configuration section <c>Analytics:Sliding</c>).</summary>
public sealed class SlidingWindowOptions
{
    /// <summary>The tumbling window size the store keeps and merges; a sliding range is answered in steps of it.
    /// Must be listed in <see cref="WindowOptions.KeepSketchesFor"/>. The default is 1 min.</summary>
    public TimeSpan BaseSize { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest range a query may ask for; older windows are dropped. The default is 1 h.</summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Quantiles reported per query, as for <see cref="WindowOptions.Quantiles"/>. The default is p50, p90, p95, p99, p99.9.</summary>
    public IList<double> Quantiles { get; set; } = [0.5, 0.9, 0.95, 0.99, 0.999];
}
