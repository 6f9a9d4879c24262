using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.HttpWrite;

/// <summary>What one payload produced: accepted and rejected line counts, the first error, and the dead letters.</summary>
/// <param name="Accepted">Lines forwarded to the target.</param>
/// <param name="Rejected">Lines rejected.</param>
/// <param name="FirstError">InfluxDB-style text of the first rejection (<c>unable to parse '...': ...</c>), or <c>null</c>.</param>
/// <param name="DeadLetters">One dead letter per rejected line, in payload order.</param>
public sealed record WriteOutcome(int Accepted, int Rejected, string? FirstError, IReadOnlyList<DeadLetter> DeadLetters);
