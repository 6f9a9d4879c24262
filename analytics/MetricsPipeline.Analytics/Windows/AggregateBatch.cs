using MetricsPipeline.Analytics.Pipeline;

namespace MetricsPipeline.Analytics.Windows;

/// <summary>
/// The output of one step of the window stage: the windows that closed, and the source offsets that become
/// committable once these windows are durably written.
/// </summary>
/// <param name="Windows">The closed windows (may be empty).</param>
/// <param name="Commits">Offsets to store after the sinks acknowledged <paramref name="Windows"/>.</param>
/// <param name="ClosedThroughNs">Every window ending at or before this event time is now closed.</param>
public sealed record AggregateBatch(IReadOnlyList<WindowResult> Windows, IReadOnlyList<OffsetCommit> Commits, long ClosedThroughNs);
