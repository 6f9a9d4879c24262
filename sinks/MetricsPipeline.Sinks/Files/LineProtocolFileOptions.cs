namespace MetricsPipeline.Sinks.Files;

/// <summary>Settings of <see cref="LineProtocolFileWriter"/>, bound from e.g. the <c>Files</c> configuration section.</summary>
public sealed class LineProtocolFileOptions
{
    /// <summary>The directory the files go to; created if missing. The default is <c>data/line-protocol</c>.</summary>
    public string Directory { get; set; } = Path.Combine("data", "line-protocol");

    /// <summary>The file name prefix. The default is <c>metrics</c>, giving e.g. <c>metrics-20261122-15.lp</c>.</summary>
    public string FilePrefix { get; set; } = "metrics";
}
