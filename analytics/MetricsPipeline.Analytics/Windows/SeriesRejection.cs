namespace MetricsPipeline.Analytics.Windows;

/// <summary>Why the window stage refused a new series.</summary>
public enum SeriesRejection
{
    /// <summary>Not rejected.</summary>
    None,

    /// <summary>
    /// <see cref="WindowOptions.MaxSeries"/> series are tracked already
    /// (<c>pipeline_discarded_total{reason="series_limit"}</c>).
    /// </summary>
    TotalLimit,

    /// <summary>
    /// The measurement has <see cref="WindowOptions.MaxSeriesPerMeasurement"/> series already
    /// (<c>pipeline_discarded_total{reason="measurement_series_limit"}</c>).
    /// </summary>
    MeasurementLimit,
}
