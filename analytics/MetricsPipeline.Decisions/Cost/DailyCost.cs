namespace MetricsPipeline.Decisions.Cost;

/// <summary>Spend and usage of one day. Immutable.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Cost">Spend that day.</param>
/// <param name="Usage">Usage that day, e.g. instance-hours (NaN when unknown).</param>
public readonly record struct DailyCost(DateOnly Day, double Cost, double Usage = double.NaN);
