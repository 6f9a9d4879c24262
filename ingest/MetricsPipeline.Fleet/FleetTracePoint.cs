namespace MetricsPipeline.Fleet;

/// <summary>One row of a <see cref="FleetTrace"/>.</summary>
/// <param name="Timestamp">Start of the step.</param>
/// <param name="Value">The metric over the step.</param>
public readonly record struct FleetTracePoint(DateTimeOffset Timestamp, double Value);
