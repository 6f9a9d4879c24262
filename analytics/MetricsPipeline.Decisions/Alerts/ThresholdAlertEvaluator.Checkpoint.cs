using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Alerts;

/// <content>Snapshot and restore of the alert states (level, pending/start/notify times, flapping history).</content>
public sealed partial class ThresholdAlertEvaluator
{
    private const byte StateVersion = 1;

    /// <summary>Every (service, rule) alert state as a versioned binary snapshot. Not thread-safe.</summary>
    public byte[] SaveState() => StateIO.Write(StateVersion, w =>
    {
        w.Write(_states.Count);
        foreach (var ((service, rule), st) in _states.OrderBy(s => s.Key.Service, StringComparer.Ordinal).ThenBy(s => s.Key.Rule, StringComparer.Ordinal))
        {
            w.Write(service);
            w.Write(rule);
            w.Write(st.Level);
            StateIO.Write(w, st.PendingSince);
            StateIO.Write(w, st.StartsAt);
            StateIO.Write(w, st.LastNotified);
            w.Write(st.Flapping);
            w.Write(st.Changes.Count);
            foreach (var change in st.Changes)
            {
                StateIO.Write(w, change);
            }
        }
    });

    /// <summary>Replaces the state with a <see cref="SaveState"/> snapshot; <see cref="FormatException"/> on bad data (state unchanged).</summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var restored = new Dictionary<(string, string), AlertState>();
        StateIO.Read(state, StateVersion, r =>
        {
            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = (r.ReadString(), r.ReadString());
                var st = new AlertState
                {
                    Level = r.ReadInt32(),
                    PendingSince = StateIO.ReadOptionalInstant(r),
                    StartsAt = StateIO.ReadInstant(r),
                    LastNotified = StateIO.ReadInstant(r),
                    Flapping = r.ReadBoolean(),
                };
                var changes = r.ReadInt32();
                for (var c = 0; c < changes; c++)
                {
                    st.Changes.Enqueue(StateIO.ReadInstant(r));
                }

                restored[key] = st;
            }
        });
        _states.Clear();
        foreach (var (key, st) in restored)
        {
            _states.Add(key, st);
        }
    }
}
