namespace MetricsPipeline.Host.Observability;

/// <summary>
/// One value of the pipeline's own telemetry at the moment it was collected: a Prometheus sample
/// (<c>pipeline_points_received_total 1234</c>) that is also a field of the <c>pipeline</c> InfluxDB measurement.
/// </summary>
/// <param name="Name">The Prometheus name, <c>pipeline_&lt;name&gt;_&lt;unit&gt;[_total]</c>.</param>
/// <param name="Help">One line for the <c># HELP</c> comment.</param>
/// <param name="IsCounter">True for monotonic counters (<c>_total</c>), false for gauges.</param>
/// <param name="Labels">Label pairs, ordered by name; empty for none.</param>
/// <param name="Value">The value.</param>
public readonly record struct TelemetrySample(string Name, string Help, bool IsCounter, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
