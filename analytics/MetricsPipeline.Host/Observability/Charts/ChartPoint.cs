namespace MetricsPipeline.Host.Observability.Charts;

/// <summary>One stored point as the chart renderer sees it: its tags, numeric fields and time (UTC).</summary>
/// <param name="Tags">Tag values by key.</param>
/// <param name="Fields">Numeric field values by key (strings and booleans are left out).</param>
/// <param name="Time">The point's timestamp.</param>
public sealed record ChartPoint(IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, double> Fields, DateTime Time);
