namespace MetricsPipeline.Forecasting.Streaming;

/// <summary>One value of one forecast series: a group's combined window statistic.</summary>
/// <param name="Series">Index of the configuration in the aggregator's list.</param>
/// <param name="Group">The group tag's value (empty when ungrouped or when the tag is missing).</param>
/// <param name="SeriesKey">The full key: <c>{source}|{group tag}={value}</c>, or <c>{source}|{sorted tags}</c> when ungrouped.</param>
/// <param name="StartNs">The window start, Unix nanoseconds.</param>
/// <param name="Value">The combined statistic.</param>
public readonly record struct SeriesObservation(int Series, string Group, string SeriesKey, long StartNs, double Value);
