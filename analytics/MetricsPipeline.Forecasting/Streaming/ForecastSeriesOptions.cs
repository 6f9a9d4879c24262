namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>
/// One forecast series: which window statistic of which measurement/field, at which resolution, aggregated over
/// which group (configuration section <c>Analytics:Forecasting:Series:N</c>).
/// </summary>
public sealed class ForecastSeriesOptions
{
    /// <summary>The metric name written in the <c>metric</c> tag and handed to listeners. The default is the field name.</summary>
    public string? Name { get; set; }

    /// <summary>The source measurement. The default is <c>service</c>.</summary>
    public string Measurement { get; set; } = "service";

    /// <summary>The source field. The default is <c>request_rate</c>.</summary>
    public string Field { get; set; } = "request_rate";

    /// <summary>The window statistic: <c>mean</c> (the default), <c>sum</c>, <c>count</c>, <c>min</c>, <c>max</c>, or a quantile name such as <c>p95</c>.</summary>
    public string Statistic { get; set; } = "mean";

    /// <summary>The window resolution as the <c>window</c> tag writes it. The default is <c>1m</c>.</summary>
    public string Window { get; set; } = "1m";

    /// <summary>The tag that names a group (one forecast per value). The default is <c>service</c>; empty forecasts every source series on its own.</summary>
    public string GroupBy { get; set; } = "service";

    /// <summary>How a group's member windows combine. The default is <see cref="CombineMethod.Sum"/>.</summary>
    public CombineMethod Combine { get; set; } = CombineMethod.Sum;

    /// <summary>The metric name: <see cref="Name"/>, else <see cref="Field"/>.</summary>
    public string MetricName => string.IsNullOrWhiteSpace(Name) ? Field : Name;

    /// <summary>The part of the series key that names this configuration: <c>measurement.field.statistic.window</c>.</summary>
    public string Source => $"{Measurement}.{Field}.{Statistic}.{Window}";

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Measurement) || string.IsNullOrWhiteSpace(Field) || string.IsNullOrWhiteSpace(Window))
        {
            throw new ArgumentException("Analytics:Forecasting:Series: Measurement, Field and Window are required.");
        }

        if (!Enum.IsDefined(Combine))
        {
            throw new ArgumentException($"Analytics:Forecasting:Series ({Source}): unknown Combine {Combine}.");
        }
    }

    /// <summary>The default series: the fleet's request rate, cpu and p95 latency per service on 1-minute windows.</summary>
    public static IReadOnlyList<ForecastSeriesOptions> Defaults() =>
    [
        new() { Name = "request_rate", Measurement = "service", Field = "request_rate", Statistic = "mean", Combine = CombineMethod.Sum },
        new() { Name = "cpu", Measurement = "service", Field = "cpu_percent", Statistic = "mean", Combine = CombineMethod.Mean },
        new() { Name = "latency_p95", Measurement = "http_request", Field = "latency_ms", Statistic = "p95", Combine = CombineMethod.Max },
    ];
}
