namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>Why and where a line failed, as offsets into the line; turned into a <see cref="LineProtocolError"/> on demand.</summary>
internal struct LineFailure
{
    public LineErrorReason Reason;
    public int Position;
    public int TokenStart;
    public int TokenLength;

    /// <summary>The exceeded limit for limit errors (quoted instead of a token), otherwise -1.</summary>
    public long Limit;
}
