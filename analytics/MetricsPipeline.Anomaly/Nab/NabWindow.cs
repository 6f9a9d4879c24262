namespace MetricsPipeline.Anomaly.Nab;

/// <summary>A labelled anomaly window as inclusive row indices [<paramref name="Start"/>, <paramref name="End"/>].</summary>
/// <param name="Start">First row of the window (l).</param>
/// <param name="End">Last row of the window (r).</param>
public readonly record struct NabWindow(int Start, int End)
{
    /// <summary>The window width w = r − l + 1.</summary>
    public int Width => End - Start + 1;
}
