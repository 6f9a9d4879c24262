using MetricsPipeline.Decisions.State;

namespace MetricsPipeline.Decisions.Alerts;

/// <content>Snapshot and restore of the alert states (level, pending/start/notify times, the last value seen, flapping history).</content>
public sealed partial class ThresholdAlertEvaluator
{
    // Version 2 adds when a firing alert's metric went missing; version 1 restores with its metric present. Version 3
    // adds when each service last sent a snapshot (the silence that drops idle state is measured from it); versions 1
    // and 2 restore their services as last seen at the first sweep after the restore. Version 4 adds when each rule's
    // metric last had a value (the observation gap that restarts a pending "for" clock is measured from it); version 3
    // takes the service's last snapshot time for it, versions 1 and 2 none (the first value after the restore keeps a
    // pending clock, as before). Version 5 adds the "for" clock of every level above the active one; versions 1 to 4
    // kept only the next level's (PendingSince), so a restored higher level started its clock again at its next breach.
    private const byte StateVersion = 5;

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
            StateIO.Write(w, st.LastObserved);
            var clocks = st.PendingLevelsSaved ?? [];
            w.Write(clocks.Count);
            foreach (var clock in clocks)
            {
                StateIO.Write(w, clock);
            }
        }

        var seen = _lastSnapshot.Where(s => include(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        w.Write(seen.Count);
        foreach (var (service, last) in seen)
        {
            w.Write(service);
            StateIO.Write(w, last);
        }
    });

    /// <summary>Replaces the state with a <see cref="SaveState()"/> snapshot; <see cref="FormatException"/> on bad data (state unchanged).</summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var (restored, seen) = Read(state);
        _states.Clear();
        _lastSnapshot.Clear();
        _lastSnapshotUnknown.Clear();
        foreach (var (key, st) in restored)
        {
            _states.Add(key, st);
        }

        Adopt(restored, seen, _ => true);
    }

    /// <summary>
    /// Replaces the alert states of the services in <paramref name="state"/> that <paramref name="accept"/> accepts
    /// (all their rules) and keeps every other service's; returns the services replaced. <see cref="FormatException"/>
    /// on bad data (state unchanged).
    /// </summary>
    public IReadOnlyList<string> MergeState(ReadOnlySpan<byte> state, Func<string, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        var (restored, seen) = Read(state);
        var services = restored.Keys.Select(k => k.Item1).Concat(seen?.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal).Where(accept).ToList();
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

        Adopt(restored, seen, services.Contains);
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
        _lastSnapshotUnknown.Remove(service);
    }

    /// <summary>Takes the last-snapshot times of the accepted services, or marks them unknown when the state had none.</summary>
    private void Adopt(Dictionary<(string, string), AlertState> restored, Dictionary<string, DateTimeOffset>? seen, Func<string, bool> accept)
    {
        if (seen is null)
        {
            foreach (var (service, _) in restored.Keys.Where(k => accept(k.Item1)))
            {
                _lastSnapshotUnknown.Add(service);
            }

            return;
        }

        foreach (var (service, last) in seen.Where(s => accept(s.Key)))
        {
            _lastSnapshot[service] = last;
        }
    }

    private static (Dictionary<(string, string), AlertState> States, Dictionary<string, DateTimeOffset>? LastSnapshot) Read(ReadOnlySpan<byte> state)
    {
        var restored = new Dictionary<(string, string), AlertState>();
        Dictionary<string, DateTimeOffset>? seen = null;
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
                st.LastObserved = version >= 4 ? StateIO.ReadOptionalInstant(r) : null;
                var clocks = version >= 5 ? r.ReadInt32() : 0;
                if (clocks < 0 || clocks > r.BaseStream.Length - r.BaseStream.Position)
                {
                    // Each clock takes at least a byte: a count beyond the bytes left is damage, not a size to allocate.
                    throw new FormatException($"Alert state: {clocks} level clocks for {key.Item1}/{key.Item2}.");
                }

                if (clocks > 0)
                {
                    var levels = new DateTimeOffset?[clocks];
                    for (var c = 0; c < clocks; c++)
                    {
                        levels[c] = StateIO.ReadOptionalInstant(r);
                    }

                    st.RestorePendingLevels(levels);
                }

                restored[key] = st;
            }

            if (version >= 3)
            {
                seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                var services = r.ReadInt32();
                for (var i = 0; i < services; i++)
                {
                    seen[r.ReadString()] = StateIO.ReadInstant(r);
                }
            }

            if (version == 3)
            {
                // No time per rule yet: the service's last snapshot is the latest the metric can have had a value.
                foreach (var ((service, _), st) in restored)
                {
                    st.LastObserved = seen!.TryGetValue(service, out var last) ? last : null;
                }
            }
        });
        return (restored, seen);
    }
}
