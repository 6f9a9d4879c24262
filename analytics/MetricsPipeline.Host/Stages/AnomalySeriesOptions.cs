namespace MetricsPipeline.Host.Stages;

/// <summary>
/// One monitored series family: a statistic of one field of one measurement's closed windows, combined across the
/// windows that share the group tag (e.g. all instances of a service) into one value per group and window.
/// </summary>
public sealed class AnomalySeriesOptions
{
    /// <summary>The series name, used in alerts and the <c>anomaly</c> points' <c>series</c> tag (e.g. <c>request_rate</c>). Required.</summary>
    public string Name { get; set; } = "";

    /// <summary>The source measurement (e.g. <c>service</c>). Required.</summary>
    public string Measurement { get; set; } = "";

    /// <summary>The source field (e.g. <c>request_rate</c>). Required.</summary>
    public string Field { get; set; } = "";

    /// <summary>
    /// The window statistic: <c>mean</c>, <c>sum</c>, <c>min</c>, <c>max</c>, <c>count</c> or a quantile <c>pNN</c>
    /// (e.g. <c>p95</c>, which must be one of the window quantiles). The default is <c>mean</c>.
    /// </summary>
    public string Statistic { get; set; } = "mean";

    /// <summary>How the group's windows are combined: <c>sum</c>, <c>mean</c> or <c>max</c>. The default is <c>mean</c>.</summary>
    public string Combine { get; set; } = "mean";

    /// <summary>The tag that names the group (and the Kafka key of its alerts). The default is <c>service</c>.</summary>
    public string GroupTag { get; set; } = "service";

    /// <summary>Whether an upward anomaly of this series is a traffic spike for the scaling stage. The default is false.</summary>
    public bool TrafficSignal { get; set; }
}
