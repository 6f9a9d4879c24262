using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Alerts;

/// <content>Snapshot and restore of the alert states (level, pending/start/notify times, flapping history).</content>
public sealed partial class ThresholdAlertEvaluator
{
    // Version 2 adds when a firing alert's metric went missing; version 1 restores with its metric present.
    private const byte StateVersion = 2;

    /// <summary>Every (service, rule) alert state as a versioned binary snapshot. Not thread-safe.</summary>
    public byte[] SaveState() => SaveState(_ => true);

    /// <summary>
    /// The alert states of the services <paramref name="include"/> accepts, in the <see cref="SaveState()"/> format.
    /// Not thread-safe.
    /// </summary>
    public byte[] SaveState(Func<string, bool> include) => StateIO.Write(StateVersion, w =>
    {
        ArgumentNullException.ThrowIfNull(include);
        var selected = _states.Where(s => include(s.Key.Service)).OrderBy(s => s.Key.Service, StringComparer.Ordinal).ThenBy(s => s.Key.Rule, StringComparer.Ordinal).ToList();
        w.Write(selected.Count);
        foreach (var ((service, rule), st) in selected)
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

            StateIO.Write(w, st.NoDataSince);
        }
    });

    /// <summary>Replaces the state with a <see cref="SaveState()"/> snapshot; <see cref="FormatException"/> on bad data (state unchanged).</summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var restored = Read(state);
        _states.Clear();
        _lastSnapshot.Clear();
        foreach (var (key, st) in restored)
        {
            _states.Add(key, st);
        }
    }

    /// <summary>
    /// Replaces the alert states of the services in <paramref name="state"/> that <paramref name="accept"/> accepts
    /// (all their rules) and keeps every other service's; returns the services replaced. <see cref="FormatException"/>
    /// on bad data (state unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        var restored = Read(state);
        var services = restored.Keys.Select(k => k.Item1).Distinct(StringComparer.Ordinal).Where(accept).ToList();
        foreach (var service in services)
        {
            Forget(service);
        }

        foreach (var (key, st) in restored)
        {
            if (services.Contains(key.Item1, StringComparer.Ordinal))
            {
                _states[key] = st;
            }
        }

        return services;
    }

    /// <summary>Forgets every alert state of <paramref name="service"/>.</summary>
    public void Forget(string service)
    {
        foreach (var key in _states.Keys.Where(k => k.Service == service).ToList())
        {
            _states.Remove(key);
        }

        _lastSnapshot.Remove(service);
    }

    private Dictionary<(string, string), AlertState> Read(ReadOnlySpan<byte> state)
    {
        var restored = new Dictionary<(string, string), AlertState>();
        StateIO.Read(state, 1, StateVersion, (r, version) =>
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

                st.NoDataSince = version >= 2 ? StateIO.ReadOptionalInstant(r) : null;

                restored[key] = st;
            }
        });
        return restored;
    }
}
