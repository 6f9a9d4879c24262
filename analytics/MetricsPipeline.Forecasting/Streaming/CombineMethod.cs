namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>How the windows of a group's members (e.g. a service's instances) become one value.</summary>
public enum CombineMethod
{
    /// <summary>Add them (request rates: the service's total).</summary>
    Sum,

    /// <summary>Average them (cpu: the typical instance).</summary>
    Mean,

    /// <summary>The largest (latency percentiles: the worst instance; percentiles cannot be merged exactly).</summary>
    Max,

    /// <summary>The smallest.</summary>
    Min,
}
