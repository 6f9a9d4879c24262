namespace MetricsPipeline.Analytics.Windows;

/// <content>Restoring the closed-through time from a checkpoint (see <c>State/PipelineCheckpointer</c>).</content>
public sealed partial class WindowAggregator
{
    /// <summary>
    /// Starts a fresh stage as if every window ending at or before <paramref name="closedThroughNs"/> (Unix ns) had
    /// already been closed and written: replayed points of such windows count as late and are dropped, so a restart
    /// from a checkpoint neither re-emits nor half-rewrites them. Only a stage that has seen nothing yet can be
    /// restored; returns false (and changes nothing) otherwise. Call it on the pipeline thread.
    /// </summary>
    public bool TryRestoreClosedThrough(long closedThroughNs)
    {
        if (_registry.Count > 0 || _closedThroughNs != long.MinValue)
        {
            return false;
        }

        _closedThroughNs = closedThroughNs;
        return true;
    }
}
