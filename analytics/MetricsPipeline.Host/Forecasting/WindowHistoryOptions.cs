namespace MetricsPipeline.Host.Forecasting;

/// <summary>Settings of the window-history writer (configuration section <c>Analytics:History</c>).</summary>
public sealed class WindowHistoryOptions
{
    /// <summary>
    /// The directory of the Arrow history files; null (the default) disables the writer. In <c>demo</c> with
    /// <c>--out DIR</c> it is <c>DIR/history</c>.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>The resolutions to record (<c>1m</c>, …). The default (empty) records every window size.</summary>
    public IList<string> Windows { get; set; } = [];
}
