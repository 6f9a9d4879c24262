using MetricsPipeline.Analytics.Pipeline;

namespace MetricsPipeline.Analytics.State;

/// <summary>
/// A window stage whose state survives a restart: the pipeline saves it with every checkpoint and restores it before
/// the first batch. Both methods are called on the pipeline thread, between batches.
/// </summary>
public interface ICheckpointedStage : IWindowStage
{
    /// <summary>The stage's whole state, in its own versioned binary format.</summary>
    byte[] SaveState();

    /// <summary>
    /// Replaces the stage's state with one returned by <see cref="SaveState"/>. Throws <see cref="FormatException"/>
    /// on data it cannot read (the pipeline then starts the stage clean and counts it).
    /// </summary>
    void RestoreState(ReadOnlySpan<byte> state);
}
