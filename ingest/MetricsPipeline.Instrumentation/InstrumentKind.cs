namespace MetricsPipeline.Instrumentation;

/// <summary>How an instrument's measurements are aggregated and written (see README.md).</summary>
internal enum InstrumentKind
{
    /// <summary>Counter / ObservableCounter: field <c>counter</c> = cumulative total.</summary>
    Counter,

    /// <summary>UpDownCounter / ObservableUpDownCounter: field <c>value</c> = cumulative sum.</summary>
    UpDownCounter,

    /// <summary>Gauge / ObservableGauge: field <c>gauge</c> = last value.</summary>
    Gauge,

    /// <summary>Histogram: fields <c>count</c>, <c>sum</c>, <c>min</c>, <c>max</c> over the export interval.</summary>
    Histogram,
}
