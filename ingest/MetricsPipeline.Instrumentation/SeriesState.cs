namespace MetricsPipeline.Instrumentation;

/// <summary>The aggregate of one (instrument, tag set) series. Guarded by its own lock (measurements arrive on any thread).</summary>
internal sealed class SeriesState(string measurement, KeyValuePair<string, string>[] tags, InstrumentKind kind)
{
    public Lock Gate { get; } = new();

    public string Measurement { get; } = measurement;

    public KeyValuePair<string, string>[] Tags { get; } = tags;

    public InstrumentKind Kind { get; } = kind;

    /// <summary>Cumulative sum (counters, up-down counters), last value (gauges), or the interval's sum (histograms).</summary>
    public double Value { get; set; }

    public long Count { get; set; }

    public double Min { get; set; } = double.PositiveInfinity;

    public double Max { get; set; } = double.NegativeInfinity;

    /// <summary>Whether something was recorded since the last export.</summary>
    public bool Dirty { get; set; }
}
