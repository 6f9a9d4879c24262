using MetricsPipeline.Analytics.State;

namespace MetricsPipeline.Host.Forecasting;

/// <content>Checkpointing: the engine's per-series history and models (the per-batch aggregation keeps nothing between batches).</content>
public sealed partial class ForecastStage : ICheckpointedStage
{
    /// <inheritdoc />
    public byte[] SaveState() => _engine.SaveState();

    /// <inheritdoc />
    public void RestoreState(ReadOnlySpan<byte> state) => _engine.RestoreState(state);
}
