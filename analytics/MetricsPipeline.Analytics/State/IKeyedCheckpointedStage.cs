using MetricsPipeline.Analytics.Windows;

namespace MetricsPipeline.Analytics.State;

/// <summary>
/// A checkpointed stage whose state is (mostly) a map from a stage key — a service, or a series for per-series
/// models — to that key's state. The checkpointer learns which source partition feeds each key from the windows the
/// stage sees, writes the state of the keys fed by exactly one partition with that partition's checkpoint, restores
/// (merges) them into the running stage when another member's partition is taken over, and drops them when the
/// partition is revoked. State that belongs to no key stays in <see cref="ICheckpointedStage.SaveState"/>, which still
/// holds the whole state. All members are called on the pipeline thread, between batches.
/// </summary>
public interface IKeyedCheckpointedStage : ICheckpointedStage
{
    /// <summary>
    /// Adds to <paramref name="keys"/> the stage keys whose state <paramref name="window"/>'s series can feed. The
    /// answer must depend only on the series (measurement and tags), not on the window's size or time: the checkpointer
    /// asks once per series.
    /// </summary>
    void CollectKeys(WindowResult window, ICollection<string> keys);

    /// <summary>
    /// The state of <paramref name="keys"/> only (keys without state are left out), in the stage's versioned binary
    /// format; <see cref="MergeKeys"/> of it on an identically configured stage continues those keys identically.
    /// </summary>
    byte[] SaveKeys(IReadOnlyCollection<string> keys);

    /// <summary>
    /// Replaces the state of the keys in <paramref name="state"/> (a <see cref="SaveKeys"/> result) that
    /// <paramref name="accept"/> accepts and leaves every other key alone. Returns the keys restored. Throws
    /// <see cref="FormatException"/> on data it cannot read (the state is then unchanged).
    /// </summary>
    IReadOnlyList<string> MergeKeys(ReadOnlySpan<byte> state, Func<string, bool> accept);

    /// <summary>Forgets the state of <paramref name="keys"/> (their partition moved to another member).</summary>
    void DropKeys(IReadOnlyCollection<string> keys);
}
