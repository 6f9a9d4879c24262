using System.Globalization;
using MetricsPipeline.Decisions.Commands;
using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Alerts;

/// <summary>
/// Evaluates threshold rules on service snapshots and emits <c>alert/v1</c> events: firing (new, escalated or
/// de-escalated level), resolved, re-notifications of unchanged alerts, and one flapping event when a rule changes
/// state too often (further changes are suppressed until it has been stable for the flapping window, then the current
/// state is sent). A condition fires at the first evaluation at which it has held for the rule's "for" duration, so
/// with evaluations every 60 s an alert is at most one interval late. Deterministic; not thread-safe.
/// </summary>
public sealed partial class ThresholdAlertEvaluator
{
    private readonly IReadOnlyList<ThresholdAlertRule> _rules;
    private readonly Dictionary<(string Service, string Rule), AlertState> _states = [];

    /// <summary>Creates an evaluator.</summary>
    /// <param name="rules">The rules; null means <see cref="PlaybookAlertRules.Defaults"/>.</param>
    public ThresholdAlertEvaluator(IEnumerable<ThresholdAlertRule>? rules = null)
    {
        _rules = rules?.ToArray() ?? PlaybookAlertRules.Defaults();
    }

    /// <summary>The rules in use.</summary>
    public IReadOnlyList<ThresholdAlertRule> Rules => _rules;

    /// <summary>Evaluates every rule on one snapshot; returns the events to publish (often none).</summary>
    public IReadOnlyList<AlertEnvelope> Evaluate(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        List<AlertEnvelope>? events = null;
        foreach (var rule in _rules)
        {
            if (Evaluate(rule, snapshot) is { } e)
            {
                (events ??= []).Add(e);
            }
        }

        return events ?? (IReadOnlyList<AlertEnvelope>)[];
    }

    private AlertEnvelope? Evaluate(ThresholdAlertRule rule, ServiceSnapshot s)
    {
        double value = rule.Read(s);
        var now = s.Timestamp;
        if (double.IsNaN(value))
        {
            return NoData(rule, s);
        }

        if (!_states.TryGetValue((s.Service, rule.Name), out var st))
        {
            st = new AlertState();
            _states.Add((s.Service, rule.Name), st);
        }

        st.NoDataSince = null;
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

        int next = candidate;
        if (candidate > active)
        {
            st.PendingSince ??= now;
            if (now - st.PendingSince.Value < rule.For)
            {
                next = active;
            }
        }
        else
        {
            st.PendingSince = null;
        }

        while (st.Changes.Count > 0 && st.Changes.Peek() <= now - rule.FlappingWindow)
        {
            st.Changes.Dequeue();
        }

        if (next != active)
        {
            st.Level = next;
            st.PendingSince = null;
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
    /// A snapshot without the rule's metric: a firing alert that has had no value for
    /// <see cref="ThresholdAlertRule.NoDataResolveAfter"/> resolves (nothing else could ever resolve it).
    /// </summary>
    private AlertEnvelope? NoData(ThresholdAlertRule rule, ServiceSnapshot s)
    {
        if (rule.NoDataResolveAfter <= TimeSpan.Zero || !_states.TryGetValue((s.Service, rule.Name), out var st) || st.Level < 0)
        {
            return null;
        }

        var now = s.Timestamp;
        st.NoDataSince ??= now;
        if (now - st.NoDataSince.Value < rule.NoDataResolveAfter)
        {
            return null;
        }

        int active = st.Level;
        (st.Level, st.PendingSince, st.NoDataSince, st.LastNotified) = (-1, null, null, now);
        st.Changes.Enqueue(now);
        return Envelope(rule, s, st, AlertStatus.Resolved, active, double.NaN, false,
            F($"{rule.Metric} has had no value for {rule.NoDataResolveAfter.TotalMinutes:0.#} min: resolved for lack of data"));
    }

    private static AlertEnvelope Envelope(ThresholdAlertRule rule, ServiceSnapshot s, AlertState st, AlertStatus status, int level, double value, bool renotification, string summary)
    {
        var l = rule.Levels[Math.Clamp(level, 0, rule.Levels.Count - 1)];
        return new AlertEnvelope
        {
            Id = DeterministicId.Compute("alert", rule.Name, s.Service, status.ToString(), l.Severity.ToString(), s.Timestamp.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            Kind = AlertKind.Threshold,
            Status = status,
            Severity = l.Severity,
            Rule = rule.Name,
            Service = s.Service,
            Metric = rule.Metric,
            Value = double.IsFinite(value) ? Math.Round(value, 6) : 0,
            Threshold = l.Threshold,
            Summary = summary,
            Playbook = rule.Playbook,
            Renotification = renotification,
            StartsAt = st.StartsAt,
            Timestamp = s.Timestamp,
        };
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
