using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Scaling;

/// <content>Snapshot and restore of the per-service state (cooldowns, stabilisation and baseline windows).</content>
public sealed partial class ReactiveScalingPolicy
{
    // Version 2 adds the current spike's starting instances and baseline; a version-1 snapshot restores with no spike under way.
    private const byte StateVersion = 2;

    /// <summary>
    /// The policy's whole per-service state (first seen, sustained-CPU and scale-down timers, last increase/decrease/
    /// emergency, the CPU-hour, baseline and recommendation windows, the current spike's start) as a versioned binary snapshot. Not thread-safe.
    /// </summary>
    public byte[] SaveState() => SaveState(_ => true);

    /// <summary>
    /// The state of the services <paramref name="include"/> accepts, in the <see cref="SaveState()"/> format (so
    /// <see cref="RestoreState"/> and <see cref="MergeState"/> read it). Not thread-safe.
    /// </summary>
    public byte[] SaveState(Func<string, bool> include) => StateIO.WriteServices(StateVersion, _states, include, static (w, st) =>
    {
        StateIO.Write(w, st.FirstSeen);
        StateIO.Write(w, st.CpuAboveSince);
        StateIO.Write(w, st.ScaleDownOkSince);
        StateIO.Write(w, st.LastIncrease);
        StateIO.Write(w, st.LastDecrease);
        StateIO.Write(w, st.LastEmergency);
        st.CpuHour.Save(w);
        st.Baseline.Save(w);
        st.Recommendations.Save(w);
        w.Write(st.EmergencyFromInstances);
        w.Write(st.EmergencyBaseline);
    });

    /// <summary>Replaces the state with a <see cref="SaveState()"/> snapshot; <see cref="FormatException"/> on bad data (state unchanged).</summary>
    public void RestoreState(ReadOnlySpan<byte> state) => StateIO.Replace(_states, Read(state));

    /// <summary>
    /// Replaces the state of the services in <paramref name="state"/> that <paramref name="accept"/> accepts and keeps
    /// every other service's; returns the services replaced. <see cref="FormatException"/> on bad data (state unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        return StateIO.Merge(_states, Read(state), accept);
    }

    /// <summary>Forgets the state of <paramref name="service"/>.</summary>
    public void Forget(string service) => _states.Remove(service);

    private Dictionary<string, ServiceScalingState> Read(ReadOnlySpan<byte> state) =>
        StateIO.ReadServices(state, 1, StateVersion, (r, _, version) =>
        {
            var st = new ServiceScalingState(_o)
            {
                FirstSeen = StateIO.ReadInstant(r),
                CpuAboveSince = StateIO.ReadOptionalInstant(r),
                ScaleDownOkSince = StateIO.ReadOptionalInstant(r),
                LastIncrease = StateIO.ReadOptionalInstant(r),
                LastDecrease = StateIO.ReadOptionalInstant(r),
                LastEmergency = StateIO.ReadOptionalInstant(r),
            };
            st.CpuHour.Restore(r);
            st.Baseline.Restore(r);
            st.Recommendations.Restore(r);
            if (version >= 2)
            {
                st.EmergencyFromInstances = r.ReadInt32();
                st.EmergencyBaseline = r.ReadDouble();
            }

            return st;
        });
}
