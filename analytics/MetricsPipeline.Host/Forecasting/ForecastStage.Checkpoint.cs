using MetricsPipeline.Analytics.State;
using MetricsPipeline.Analytics.Windows;
using MetricsPipeline.Forecasting.History;

namespace MetricsPipeline.Host.Forecasting;

/// <content>
/// Checkpointing: the engine's per-series history and models (the per-batch aggregation keeps nothing between
/// batches). The stage key is the forecast series key (<c>source|group=value</c>, or <c>source|tags</c> ungrouped), so
/// with routing by service a service's forecasters travel with its partition.
/// </content>
public sealed partial class ForecastStage : IKeyedCheckpointedStage
{
    /// <inheritdoc />
    public byte[] SaveState() => _engine.SaveState();

    /// <inheritdoc />
    public void RestoreState(ReadOnlySpan<byte> state) => _engine.RestoreState(state);

    /// <inheritdoc />
    public void CollectKeys(WindowResult window, ICollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var config in _engine.Series)
        {
            if (window.Measurement != config.Measurement)
            {
                continue;
            }

            // The same key the aggregator gives the series' observations.
            if (string.IsNullOrEmpty(config.GroupBy))
            {
                keys.Add($"{config.Source}|{WindowHistorySchema.FormatTags(window.Tags)}");
            }
            else
            {
                var group = window.Tags.FirstOrDefault(t => t.Key == config.GroupBy).Value ?? string.Empty;
                keys.Add($"{config.Source}|{config.GroupBy}={group}");
            }
        }
    }

    /// <inheritdoc />
    public byte[] SaveKeys(IReadOnlyCollection<string> keys)
    {
        var set = keys.ToHashSet(StringComparer.Ordinal);
        return _engine.SaveState(set.Contains);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> MergeKeys(ReadOnlySpan<byte> state, Func<string, bool> accept) => _engine.MergeState(state, accept);

    /// <inheritdoc />
    public void DropKeys(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            _engine.Forget(key);
        }
    }
}
