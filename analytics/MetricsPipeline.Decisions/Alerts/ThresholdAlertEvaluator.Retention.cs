using System.Globalization;

namespace MetricsPipeline.Decisions.Alerts;

/// <content>
/// Retention: the (service, rule) states of a service that has gone silent are dropped once they are idle (not firing)
/// and the service has sent nothing for <see cref="IdleStateRetention"/>, so the states of services that never come
/// back do not pile up, and a service that comes back starts as a new one (no stale "for" clock, no flapping history).
/// </content>
public sealed partial class ThresholdAlertEvaluator
{
    /// <summary>The default <see cref="IdleStateRetention"/>: 1 day.</summary>
    public static readonly TimeSpan DefaultIdleStateRetention = TimeSpan.FromDays(1);

    // Services restored from a state without last-snapshot times (versions 1 and 2): their retention counts from the
    // first sweep after the restore.
    private readonly HashSet<string> _lastSnapshotUnknown = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a service may send nothing before its alert states that are not firing are dropped. A firing alert is
    /// never dropped: it resolves first (after its rule's <see cref="ThresholdAlertRule.NoDataResolveAfter"/>), or stays
    /// when that is zero. The default is 1 day.
    /// </summary>
    public TimeSpan IdleStateRetention { get; }

    /// <summary>The number of (service, rule) alert states held: it falls as silent services' states are dropped.</summary>
    public int TrackedStates => _states.Count;

    /// <summary>
    /// The earliest time at which a <see cref="Sweep"/> drops some service's idle state (its last snapshot plus
    /// <see cref="IdleStateRetention"/>), or null when no service has idle state. A caller that skips quiet evaluation
    /// ticks sweeps at the first tick at or after it, so the drop (and the event of a flapping alert settling with it)
    /// does not depend on how time was cut into batches.
    /// </summary>
    public DateTimeOffset? NextIdleStateDrop
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var ((service, _), st) in _states)
            {
                if (st.Level >= 0 || !_lastSnapshot.TryGetValue(service, out var last) || DateTimeOffset.MaxValue - last < IdleStateRetention)
                {
                    continue;
                }

                var due = last + IdleStateRetention;
                if (next is not { } n || due < n)
                {
                    next = due;
                }
            }

            return next;
        }
    }

    private bool Expired(DateTimeOffset last, DateTimeOffset now) => now - last >= IdleStateRetention;

    /// <summary>Starts the retention clock of restored services without a last-snapshot time, then drops what has expired.</summary>
    private void DropExpired(DateTimeOffset now, ref List<AlertEnvelope>? events)
    {
        if (_lastSnapshotUnknown.Count > 0)
        {
            foreach (var service in _lastSnapshotUnknown)
            {
                _lastSnapshot.TryAdd(service, now);
            }

            _lastSnapshotUnknown.Clear();
        }

        List<string>? expired = null;
        foreach (var (service, last) in _lastSnapshot)
        {
            if (last < now && Expired(last, now))
            {
                (expired ??= []).Add(service);
            }
        }

        if (expired is null)
        {
            return;
        }

        expired.Sort(StringComparer.Ordinal);
        foreach (var service in expired)
        {
            DropIdle(service, now, ref events);
        }
    }

    /// <summary>
    /// Drops the idle (not firing) states of <paramref name="service"/>, and its last-snapshot time unless a firing alert
    /// that can still resolve for lack of data is left. An alert still marked flapping last told its consumers "flapping" and was waiting to report where it
    /// settled: it is told now, as a resolution, instead of never.
    /// </summary>
    private void DropIdle(string service, DateTimeOffset now, ref List<AlertEnvelope>? events)
    {
        var keys = _states.Where(s => s.Key.Service == service).Select(s => s.Key).OrderBy(k => k.Rule, StringComparer.Ordinal).ToList();
        bool keepTime = false;
        foreach (var key in keys)
        {
            var st = _states[key];
            var rule = Rule(key.Rule);
            if (st.Level >= 0)
            {
                // A firing alert stays. One that will still resolve for lack of data keeps the service's time, so its
                // state is dropped at the first sweep after it resolved; one that never will (NoDataResolveAfter zero)
                // does not, so the sweeps stop looking at the service.
                keepTime |= rule is { NoDataResolveAfter.Ticks: > 0 };
                continue;
            }

            _states.Remove(key);
            if (st.Flapping && rule is not null)
            {
                (events ??= []).Add(Envelope(rule, service, now, st, AlertStatus.Resolved, 0, double.NaN, false,
                    F($"{rule.Name} settled: {service} has sent no snapshot for {IdleStateRetention.TotalHours:0.#} h, so its alert state is dropped")));
            }
        }

        if (!keepTime)
        {
            _lastSnapshot.Remove(service);
        }
    }
}
