using MetricsPipeline.Decisions.Scaling;

namespace MetricsPipeline.Decisions.Alerts;

/// <summary>
/// A threshold alert rule on one metric of a <see cref="ServiceSnapshot"/>: levels with their own reset thresholds, a
/// "for" duration, a re-notify interval and flapping suppression. Immutable once built.
/// </summary>
public sealed record ThresholdAlertRule
{
    /// <summary>Rule name, e.g. <c>cpu_high</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Metric name in alerts, e.g. <c>cpu_percent</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>Reads the metric from a snapshot (NaN when unknown: the rule is then not evaluated).</summary>
    public required Func<ServiceSnapshot, double> Read { get; init; }

    /// <summary>The levels, lowest severity first, with rising thresholds (falling for <see cref="Below"/> rules).</summary>
    public required IReadOnlyList<ThresholdLevel> Levels { get; init; }

    /// <summary>Whether the rule fires when the value falls below the thresholds. The default is false (above).</summary>
    public bool Below { get; init; }

    /// <summary>How long a level's condition must hold before it fires. The default is zero (fires at the first evaluation that sees it).</summary>
    public TimeSpan For { get; init; } = TimeSpan.Zero;

    /// <summary>An unchanged firing alert is re-sent after this long. The default is 1 hour.</summary>
    public TimeSpan RenotifyInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Window over which state changes are counted for flapping. The default is 30 minutes.</summary>
    public TimeSpan FlappingWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>More state changes than this within <see cref="FlappingWindow"/> mark the alert as flapping. The default is 6.</summary>
    public int FlappingMaxChanges { get; init; } = 6;

    /// <summary>
    /// A firing alert whose metric has had no value (NaN: the service stopped reporting it) for this long resolves,
    /// saying why, instead of staying open for ever with nothing to resolve it. The default is 10 minutes;
    /// <see cref="TimeSpan.Zero"/> keeps it open.
    /// </summary>
    public TimeSpan NoDataResolveAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The playbook text sent with the alert.</summary>
    public string Playbook { get; init; } = string.Empty;

    /// <summary>Whether <paramref name="value"/> is beyond <paramref name="threshold"/> in the rule's direction.</summary>
    public bool Beyond(double value, double threshold) => Below ? value < threshold : value > threshold;
}
