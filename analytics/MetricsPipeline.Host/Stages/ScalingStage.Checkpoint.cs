using System.Buffers.Binary;
using MetricsPipeline.Analytics.State;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Host.Stages;

/// <content>
/// Checkpointing: the reactive policy's per-service state (cooldowns, stabilisation and baseline windows) and the
/// threshold alerts' states, so a restart neither repeats a command inside its cooldown nor re-opens an open alert.
/// The per-window groups are not saved: every group is evaluated in the batch that closes it, so none is pending
/// between batches, when checkpoints are taken.
/// </content>
public sealed partial class ScalingStage : ICheckpointedStage
{
    private const byte StateVersion = 1;

    /// <inheritdoc />
    public byte[] SaveState()
    {
        // The reactive policy carries the cooldowns and stabilisation windows; the predictive one relearns its error
        // quantiles from the forecasts that follow.
        var policy = _reactive.SaveState();
        var alerts = _alerts?.SaveState() ?? [];
        var state = new byte[1 + 4 + policy.Length + 4 + alerts.Length];
        state[0] = StateVersion;
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(1), policy.Length);
        policy.CopyTo(state, 5);
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(5 + policy.Length), alerts.Length);
        alerts.CopyTo(state, 9 + policy.Length);
        return state;
    }

    /// <inheritdoc />
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        if (state.Length < 9 || state[0] != StateVersion)
        {
            throw new FormatException("Not a scaling-stage state of version 1.");
        }

        var policyLength = BinaryPrimitives.ReadInt32LittleEndian(state[1..]);
        if (policyLength < 0 || 5 + policyLength + 4 > state.Length)
        {
            throw new FormatException("Scaling-stage state is truncated.");
        }

        var policy = state.Slice(5, policyLength);
        var alertsLength = BinaryPrimitives.ReadInt32LittleEndian(state[(5 + policyLength)..]);
        if (alertsLength < 0 || 9 + policyLength + alertsLength != state.Length)
        {
            throw new FormatException("Scaling-stage state is truncated.");
        }

        var alerts = state.Slice(9 + policyLength, alertsLength);
        if (policy.Length > 0)
        {
            _reactive.RestoreState(policy);
        }

        if (alerts.Length > 0)
        {
            _alerts?.RestoreState(alerts);
        }
    }
}
