namespace MetricsPipeline.Decisions.Cost;

/// <summary>Spend and usage of one day. Immutable.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Cost">Spend that day.</param>
/// <param name="Usage">Usage that day, e.g. instance-hours (NaN when unknown).</param>
public readonly record struct DailyCost(DateOnly Day, double Cost, double Usage = double.NaN)
{
    /// <summary>
    /// Whether the day was observed only in part (the stream started during it): its spend was spent and counts in
    /// spend to date, but it is no sample of a day's cost, so it is left out of every baseline — the
    /// <see cref="CostAnomalyDetector"/>'s average and its test, <see cref="BudgetMonitor"/>'s run rate and the
    /// <see cref="CostProjector"/>'s fits. The default is false (a whole day).
    /// </summary>
    public bool Partial { get; init; }
}
