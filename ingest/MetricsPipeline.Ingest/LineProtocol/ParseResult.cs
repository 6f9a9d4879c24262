using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>The outcome of <see cref="LineProtocolParser.Parse(ReadOnlySpan{byte}, TimestampPrecision, LineProtocolLimits?)"/>: the valid points and the errors, each in payload order.</summary>
/// <param name="Points">The points of the valid lines.</param>
/// <param name="Errors">One error per rejected line.</param>
public sealed record ParseResult(IReadOnlyList<MetricPoint> Points, IReadOnlyList<LineProtocolError> Errors)
{
    /// <summary>The human-readable description of every error (see <see cref="LineProtocolError.Describe"/>).</summary>
    public IReadOnlyList<string> ErrorDescriptions => Errors.Select(e => e.Describe()).ToArray();
}
