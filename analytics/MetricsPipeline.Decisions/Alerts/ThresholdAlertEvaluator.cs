using System.Globalization;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Alerts;

/// <summary>
/// Evaluates threshold rules on service snapshots and emits <c>alert/v1</c> events: firing (new, escalated or
/// de-escalated level), resolved, re-notifications of unchanged alerts, and one flapping event when a rule changes
/// state too often (further changes are suppressed until it has been stable for the flapping window, then the current
/// state is sent). A condition fires at the first evaluation at which it has held for the rule's "for" duration, so
/// with evaluations every 60 s an alert is at most one interval late. A firing alert whose metric stops coming (in the
/// snapshots, or with the snapshots: <see cref="Sweep"/> at each evaluation tick) resolves after the rule's
/// <see cref="ThresholdAlertRule.NoDataResolveAfter"/>. The state of a service that has sent nothing for
/// <see cref="IdleStateRetention"/> is dropped, rule by rule, once it is not firing (see <see cref="Sweep"/>), so a
/// service that never comes back costs nothing for ever and one that does starts clean. A "for" duration counts only a
/// breach that was observed throughout: when the rule's metric has had no value for longer than
/// <see cref="MaxObservationGap"/> (the service was silent, or sent NaN), the breach seen after the gap starts the clock
/// again. Deterministic; not thread-safe.
/// </summary>
public sealed partial class ThresholdAlertEvaluator
{
    private readonly IReadOnlyList<ThresholdAlertRule> _rules;
    private readonly Dictionary<(string Service, string Rule), AlertState> _states = [];

    // When each service last sent a snapshot (checkpointed since state version 3): the silence that resolves its alerts
    // and drops its idle state is measured from it.
    private readonly Dictionary<string, DateTimeOffset> _lastSnapshot = new(StringComparer.Ordinal);

    /// <summary>Creates an evaluator.</summary>
    /// <param name="rules">The rules; null means <see cref="PlaybookAlertRules.Defaults"/>.</param>
    /// <param name="idleStateRetention">How long a silent service's idle alert state is kept; null means
    /// <see cref="DefaultIdleStateRetention"/> (1 day). <see cref="TimeSpan.MaxValue"/> keeps it for ever.</param>
    /// <param name="evaluationInterval">How often each service is evaluated (the snapshots' spacing); null means
    /// <see cref="DefaultEvaluationInterval"/> (1 minute). It sets <see cref="MaxObservationGap"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="idleStateRetention"/> or
    /// <paramref name="evaluationInterval"/> is not positive, or <paramref name="evaluationInterval"/> is over 1 day.</exception>
    public ThresholdAlertEvaluator(IEnumerable<ThresholdAlertRule>? rules = null, TimeSpan? idleStateRetention = null, TimeSpan? evaluationInterval = null)
    {
        _rules = rules?.ToArray() ?? PlaybookAlertRules.Defaults();
        IdleStateRetention = idleStateRetention ?? DefaultIdleStateRetention;
        if (IdleStateRetention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleStateRetention), idleStateRetention, "The idle alert state retention must be positive.");
        }

        EvaluationInterval = evaluationInterval ?? DefaultEvaluationInterval;
        if (EvaluationInterval <= TimeSpan.Zero || EvaluationInterval > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(evaluationInterval), evaluationInterval, "The evaluation interval must be positive and at most 1 day.");
        }
    }

    /// <summary>The rules in use.</summary>
    public IReadOnlyList<ThresholdAlertRule> Rules => _rules;

    /// <summary>Evaluates every rule on one snapshot; returns the events to publish (often none).</summary>
    public IReadOnlyList<AlertEnvelope> Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        List<AlertEnvelope>? events = null;
        if (!_lastSnapshot.TryGetValue(snapshot.Service, out var last) || snapshot.Timestamp > last)
        {
            // A service back after the retention starts clean, even when no sweep ran in between to drop its old state.
            if (_lastSnapshot.ContainsKey(snapshot.Service) && Expired(last, snapshot.Timestamp))
            {
                DropIdle(snapshot.Service, snapshot.Timestamp, ref events);
            }

            _lastSnapshot[snapshot.Service] = snapshot.Timestamp;
        }

        foreach (var rule in _rules)
        {
            if (Evaluate(rule, snapshot) is { } e)
            {
                (events ??= []).Add(e);
            }
        }

        return events ?? (IReadOnlyList<AlertEnvelope>)[];
    }

    /// <summary>
    /// Whether some firing alert could still resolve for lack of data (its rule has a positive
    /// <see cref="ThresholdAlertRule.NoDataResolveAfter"/>): while none can, <see cref="Sweep"/> has nothing to do.
    /// </summary>
    public bool CanResolveForLackOfData
    {
        get
        {
            foreach (var ((_, ruleName), st) in _states)
            {
                if (st.Level >= 0 && Rule(ruleName) is { NoDataResolveAfter.Ticks: > 0 })
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The evaluation tick at <paramref name="now"/>, after every snapshot of that time was evaluated: each service with
    /// alert state that sent no snapshot at <paramref name="now"/> has gone silent, and its firing alerts are handled as
    /// when their metric is missing (resolved, saying why, once nothing has come for
    /// <see cref="ThresholdAlertRule.NoDataResolveAfter"/>). Without it a service that stops reporting keeps its alerts
    /// open for ever. Then the services that have sent nothing for <see cref="IdleStateRetention"/> lose their alert
    /// states that are not firing (see <see cref="TrackedStates"/>). Call once per evaluation interval with
    /// non-decreasing times; returns the events to publish.
    /// </summary>
    /// <param name="now">The evaluation time (the end of the window just evaluated).</param>
    public IReadOnlyList<AlertEnvelope> Sweep(DateTimeOffset now)
    {
        List<AlertEnvelope>? events = null;
        foreach (var ((service, ruleName), st) in _states.Where(s => s.Value.Level >= 0).OrderBy(s => s.Key.Service, StringComparer.Ordinal).ThenBy(s => s.Key.Rule, StringComparer.Ordinal))
        {
            if ((_lastSnapshot.TryGetValue(service, out var last) && last >= now) || Rule(ruleName) is not { } rule)
            {
                continue;
            }

            if (NoData(rule, service, now, silent: true) is { } e)
            {
                (events ??= []).Add(e);
            }
        }

        DropExpired(now, ref events);
        return events ?? (IReadOnlyList<AlertEnvelope>)[];
    }

    private AlertEnvelope? Evaluate(ThresholdAlertRule rule, ServiceSnapshot s)
    {
        double value = rule.Read(s);
        var now = s.Timestamp;
        if (double.IsNaN(value))
        {
            return NoData(rule, s.Service, now, silent: false);
        }

        if (!_states.TryGetValue((s.Service, rule.Name), out var st))
        {
            st = new AlertState();
            _states.Add((s.Service, rule.Name), st);
        }

        st.NoDataSince = null;
        // The previous value of the metric: a pending clock does not survive a longer gap than MaxObservationGap.
        var previous = st.LastObserved;
        st.LastObserved = now;
        // A state restored from a checkpoint written with more levels than the rule now has holds its highest one.
        st.Level = Math.Min(st.Level, rule.Levels.Count - 1);
        int active = st.Level;
        int candidate = -1;
        for (int i = rule.Levels.Count - 1; i >= 0; i--)
        {
            // Hysteresis: an active level (or one below it) holds until the value is back past its reset.
            if (rule.Beyond(value, rule.Levels[i].Threshold) || (i <= active && rule.Beyond(value, rule.Levels[i].Reset)))
            {
                candidate = i;
                break;
            }
        }

        int next = Math.Min(candidate, active);
        if (candidate > active)
        {
            // Each level above the active one has its own "for" clock: the highest level whose condition has held for
            // the duration fires (before, one clock served them all, so a critical value seen for one minute after five
            // of warning fired critical at once). A gap longer than MaxObservationGap restarts the clocks.
            var since = st.PendingLevels(rule.Levels.Count);
            bool gap = previous is { } seen && now - seen > MaxObservationGap;
            for (int i = active + 1; i < rule.Levels.Count; i++)
            {
                if (!rule.Beyond(value, rule.Levels[i].Threshold))
                {
                    since[i] = null;
                    continue;
                }

                since[i] = since[i] is null || gap ? now : since[i];
                if (now - since[i]!.Value >= rule.For)
                {
                    next = i;
                }
            }

            st.PendingSince = since[active + 1];
        }
        else
        {
            st.ClearPending();
        }

        while (st.Changes.Count > 0 && st.Changes.Peek() <= now - rule.FlappingWindow)
        {
            st.Changes.Dequeue();
        }

        if (next != active)
        {
            st.Level = next;
            st.ClearPendingUpTo(next);
            if (active < 0)
            {
                st.StartsAt = now;
            }

            st.Changes.Enqueue(now);
            if (st.Flapping)
            {
                return null;
            }

            if (st.Changes.Count > rule.FlappingMaxChanges)
            {
                st.Flapping = true;
                st.LastNotified = now;
                return Envelope(rule, s, st, AlertStatus.Flapping, Math.Max(next, active), value, false,
                    F($"{rule.Name} changed state {st.Changes.Count} times in {rule.FlappingWindow.TotalMinutes:0} min; notifications suppressed until it settles"));
            }

            st.LastNotified = now;
            return next < 0
                ? Envelope(rule, s, st, AlertStatus.Resolved, active, value, false, F($"{rule.Metric} {value:0.##} is back within its limits"))
                : Envelope(rule, s, st, AlertStatus.Firing, next, value, false, F($"{rule.Metric} {value:0.##} {(rule.Below ? "<" : ">")} {rule.Levels[next].Threshold:0.##} ({rule.Levels[next].Severity})"));
        }

        if (st.Flapping && st.Changes.Count == 0)
        {
            // Stable for a whole window: leave flapping and report where the alert settled.
            st.Flapping = false;
            st.LastNotified = now;
            return st.Level < 0
                ? Envelope(rule, s, st, AlertStatus.Resolved, 0, value, false, F($"{rule.Name} settled: {rule.Metric} {value:0.##} within limits"))
                : Envelope(rule, s, st, AlertStatus.Firing, st.Level, value, false, F($"{rule.Name} settled at {rule.Levels[st.Level].Severity}: {rule.Metric} {value:0.##}"));
        }

        if (!st.Flapping && st.Level >= 0 && now - st.LastNotified >= rule.RenotifyInterval)
        {
            st.LastNotified = now;
            return Envelope(rule, s, st, AlertStatus.Firing, st.Level, value, true,
                F($"still firing since {st.StartsAt:u}: {rule.Metric} {value:0.##} ({rule.Levels[st.Level].Severity})"));
        }

        return null;
    }

    /// <summary>
    /// No value of the rule's metric at <paramref name="now"/> (a snapshot without it, or no snapshot at all when
    /// <paramref name="silent"/>): a firing alert that has had no value for <see cref="ThresholdAlertRule.NoDataResolveAfter"/>
    /// resolves (nothing else could ever resolve it).
    /// </summary>
    private AlertEnvelope? NoData(ThresholdAlertRule rule, string service, DateTimeOffset now, bool silent)
    {
        if (rule.NoDataResolveAfter <= TimeSpan.Zero || !_states.TryGetValue((service, rule.Name), out var st) || st.Level < 0)
        {
            return null;
        }

        st.NoDataSince ??= now;
        if (now - st.NoDataSince.Value < rule.NoDataResolveAfter)
        {
            return null;
        }

        int active = st.Level;
        // The resolution is sent even while flapping, so it ends the flapping episode too: nothing is left suppressed.
        (st.Level, st.NoDataSince, st.LastNotified, st.Flapping) = (-1, null, now, false);
        st.ClearPending();
        st.Changes.Enqueue(now);
        string why = silent
            ? F($"{service} has sent no snapshot for {rule.NoDataResolveAfter.TotalMinutes:0.#} min, so {rule.Metric} has had no value: resolved for lack of data")
            : F($"{rule.Metric} has had no value for {rule.NoDataResolveAfter.TotalMinutes:0.#} min: resolved for lack of data");
        return Envelope(rule, service, now, st, AlertStatus.Resolved, active, double.NaN, false, why);
    }

    private ThresholdAlertRule? Rule(string name)
    {
        foreach (var rule in _rules)
        {
            if (rule.Name == name)
            {
                return rule;
            }
        }

        return null;
    }

    private static AlertEnvelope Envelope(ThresholdAlertRule rule, ServiceSnapshot s, AlertState st, AlertStatus status, int level, double value, bool renotification, string summary) =>
        Envelope(rule, s.Service, s.Timestamp, st, status, level, value, renotification, summary);

    private static AlertEnvelope Envelope(ThresholdAlertRule rule, string service, DateTimeOffset at, AlertState st, AlertStatus status, int level, double value, bool renotification, string summary)
    {
        var l = rule.Levels[Math.Clamp(level, 0, rule.Levels.Count - 1)];
        return new AlertEnvelope
        {
            Id = DeterministicId.Compute("alert", rule.Name, service, status.ToString(), l.Severity.ToString(), at.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            Kind = AlertKind.Threshold,
            Status = status,
            Severity = l.Severity,
            Rule = rule.Name,
            Service = service,
            Metric = rule.Metric,
            Value = double.IsFinite(value) ? Math.Round(value, 6) : 0,
            Threshold = l.Threshold,
            Summary = summary,
            Playbook = rule.Playbook,
            Renotification = renotification,
            StartsAt = st.StartsAt,
            Timestamp = at,
        };
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
