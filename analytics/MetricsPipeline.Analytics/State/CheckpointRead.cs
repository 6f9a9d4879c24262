namespace MetricsPipeline.Analytics.State;

/// <summary>The outcome of reading one checkpoint record.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Value">The record; null when missing or unreadable.</param>
/// <param name="Problem">Why a record that exists could not be used (corrupt, unsupported version); null otherwise.</param>
public readonly record struct CheckpointRead<T>(T? Value, string? Problem)
    where T : class
{
    /// <summary>No record was stored.</summary>
    public static CheckpointRead<T> Missing => default;
}
