namespace MetricsPipeline.Instrumentation;

/// <summary>The exporter's own counters. Thread-safe.</summary>
public sealed class ExporterStatistics
{
    private long measurements;
    private long linesExported;
    private long batchesExported;
    private long batchesDropped;
    private long measurementsDropped;
    private long exportFailures;

    /// <summary>Measurements recorded from instruments.</summary>
    public long Measurements => Interlocked.Read(ref measurements);

    /// <summary>Lines delivered.</summary>
    public long LinesExported => Interlocked.Read(ref linesExported);

    /// <summary>Batches delivered.</summary>
    public long BatchesExported => Interlocked.Read(ref batchesExported);

    /// <summary>Batches dropped because the queue was full (oldest first).</summary>
    public long BatchesDropped => Interlocked.Read(ref batchesDropped);

    /// <summary>Measurements dropped by the series limit or because their instrument's value type is unsupported.</summary>
    public long MeasurementsDropped => Interlocked.Read(ref measurementsDropped);

    /// <summary>Failed export attempts (each is retried).</summary>
    public long ExportFailures => Interlocked.Read(ref exportFailures);

    internal void Measured() => Interlocked.Increment(ref measurements);

    internal void Exported(int lines)
    {
        Interlocked.Add(ref linesExported, lines);
        Interlocked.Increment(ref batchesExported);
    }

    internal void DroppedBatch() => Interlocked.Increment(ref batchesDropped);

    internal void DroppedMeasurement() => Interlocked.Increment(ref measurementsDropped);

    internal void ExportFailed() => Interlocked.Increment(ref exportFailures);
}
