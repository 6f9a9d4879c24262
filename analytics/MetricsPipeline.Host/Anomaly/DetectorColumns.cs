namespace MetricsPipeline.Host.Anomaly;

/// <summary>The optional output columns a detector produces.</summary>
[Flags]
internal enum DetectorColumns
{
    None = 0,
    PValue = 1,
    Martingale = 2,
    Magnitude = 4,
    Expected = 8,
    Bounds = 16,
}
