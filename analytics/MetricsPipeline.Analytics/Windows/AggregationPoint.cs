namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// One already-parsed numeric value for the window stage's hot loop: which series and field it belongs to
/// (ids from <see cref="WindowAggregator.RegisterSeries"/> and <see cref="WindowAggregator.RegisterField"/>),
/// its event time and its value. A 24-byte struct, so a batch is one array with no per-point object.
/// </summary>
/// <param name="SeriesId">The series id.</param>
/// <param name="FieldIndex">The field's index within its series.</param>
/// <param name="TimestampNs">Event time, Unix nanoseconds.</param>
/// <param name="Value">The value; must be finite.</param>
public readonly record struct AggregationPoint(int SeriesId, int FieldIndex, long TimestampNs, double Value);
