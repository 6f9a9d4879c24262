using MetricsPipeline.Decisions.Alerts;

namespace MetricsPipeline.Host.Stages;

/// <summary>
/// Overrides of one playbook threshold rule (bind <c>Analytics:Alerts:Rules:cpu_high:For = 00:05:00</c>,
/// <c>…:Levels:0:Severity = Warning</c>, <c>…:Levels:0:Threshold = 85</c>, <c>…:Levels:0:Reset = 80</c>); what is not
/// set keeps the playbook's value (<see cref="PlaybookAlertRules.Defaults"/>).
/// </summary>
public sealed class AlertRuleOptions
{
    /// <summary>How long a level's condition must hold before it fires. The default (null) keeps the rule's (zero).</summary>
    public TimeSpan? For { get; set; }

    /// <summary>An unchanged firing alert is re-sent after this long. The default (null) keeps the rule's (1 hour).</summary>
    public TimeSpan? RenotifyInterval { get; set; }

    /// <summary>Window over which state changes count as flapping. The default (null) keeps the rule's (30 minutes).</summary>
    public TimeSpan? FlappingWindow { get; set; }

    /// <summary>More changes than this within the window mark the alert as flapping. The default (null) keeps the rule's (6).</summary>
    public int? FlappingMaxChanges { get; set; }

    /// <summary>A firing alert with no value for this long resolves; zero keeps it open. The default (null) keeps the rule's (10 minutes).</summary>
    public TimeSpan? NoDataResolveAfter { get; set; }

    /// <summary>Replacement levels, lowest severity first with rising thresholds, each with its reset at or below its threshold. The default (empty) keeps the rule's.</summary>
    public List<ThresholdLevelOptions> Levels { get; set; } = [];

    /// <summary>The playbook rules with <paramref name="overrides"/> applied (by rule name).</summary>
    /// <param name="overrides">Overrides by rule name (<c>response_time_high</c>, <c>cpu_high</c>, …).</param>
    /// <exception cref="ArgumentException">An override names no playbook rule or holds a value out of range.</exception>
    public static IReadOnlyList<ThresholdAlertRule> Build(IReadOnlyDictionary<string, AlertRuleOptions> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var rules = PlaybookAlertRules.Defaults();
        foreach (var name in overrides.Keys)
        {
            if (!rules.Any(r => r.Name == name))
            {
                throw new ArgumentException($"Analytics:Alerts:Rules:{name} names no alert rule; the rules are {string.Join(", ", rules.Select(r => r.Name))}.");
            }
        }

        return [.. rules.Select(r => overrides.TryGetValue(r.Name, out var o) ? o.Apply(r) : r)];
    }

    private ThresholdAlertRule Apply(ThresholdAlertRule rule)
    {
        var result = rule with
        {
            For = For ?? rule.For,
            RenotifyInterval = RenotifyInterval ?? rule.RenotifyInterval,
            FlappingWindow = FlappingWindow ?? rule.FlappingWindow,
            FlappingMaxChanges = FlappingMaxChanges ?? rule.FlappingMaxChanges,
            NoDataResolveAfter = NoDataResolveAfter ?? rule.NoDataResolveAfter,
            Levels = Levels.Count == 0 ? rule.Levels : [.. Levels.Select(l => new ThresholdLevel(l.Severity, l.Threshold, l.Reset))],
        };
        string at = $"Analytics:Alerts:Rules:{rule.Name}";
        // One message per setting, with its key and value: a rule has five, and the user changed one of them.
        foreach (var (key, value, positive) in new (string, TimeSpan, bool)[]
        {
            (nameof(For), result.For, false), (nameof(RenotifyInterval), result.RenotifyInterval, true),
            (nameof(FlappingWindow), result.FlappingWindow, true), (nameof(NoDataResolveAfter), result.NoDataResolveAfter, false),
        })
        {
            if (value < TimeSpan.Zero || (positive && value == TimeSpan.Zero))
            {
                throw new ArgumentException($"{at}:{key} must be {(positive ? "positive" : "zero or positive")} (got {value:c}).");
            }
        }

        if (result.FlappingMaxChanges < 1)
        {
            throw new ArgumentException($"{at}:{nameof(FlappingMaxChanges)} must be at least 1 (got {result.FlappingMaxChanges}).");
        }

        for (int i = 0; i < result.Levels.Count; i++)
        {
            var level = result.Levels[i];
            if (!double.IsFinite(level.Threshold) || !double.IsFinite(level.Reset) || level.Reset > level.Threshold
                || (i > 0 && (level.Threshold <= result.Levels[i - 1].Threshold || level.Severity <= result.Levels[i - 1].Severity)))
            {
                throw new ArgumentException($"{at}:Levels:{i}: levels go from the lowest severity up with rising thresholds, each Reset at or below its Threshold (got {level.Severity} {level.Threshold} reset {level.Reset}).");
            }
        }

        return result;
    }
}
