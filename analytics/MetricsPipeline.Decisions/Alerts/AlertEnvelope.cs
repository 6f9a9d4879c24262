using System.Text.Json.Serialization;

namespace MetricsPipeline.Decisions.Alerts;

/// <summary>
/// An <c>alert/v1</c> message, the one envelope of threshold and anomaly alerts on the <c>alerts</c> topic (schema:
/// <c>schemas/alert.v1.schema.json</c>), keyed by service. Serialise with <see cref="AlertJson"/> (JsonSerializer
/// uses it too, through <see cref="AlertEnvelopeJsonConverter"/>). Immutable and thread-safe.
/// </summary>
[JsonConverter(typeof(AlertEnvelopeJsonConverter))]
public sealed record AlertEnvelope
{
    /// <summary>The schema identifier of this message version.</summary>
    public const string SchemaName = "alert/v1";

    /// <summary>Always <see cref="SchemaName"/>.</summary>
    public string Schema { get; init; } = SchemaName;

    /// <summary>
    /// Deterministic id (32 lowercase hex digits, <see cref="Commands.DeterministicId"/>), so replays deduplicate. Threshold
    /// alerts hash rule, service, status, severity and event time; anomaly alerts hash series, service, detector, status
    /// and window start.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>Which detector raised it.</summary>
    public required AlertKind Kind { get; init; }

    /// <summary>Firing, resolved or flapping.</summary>
    public required AlertStatus Status { get; init; }

    /// <summary>The level (for resolved events, the level that was active).</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>The rule, e.g. <c>cpu_high</c>, or <c>anomaly:</c> and the detector, e.g. <c>anomaly:auto</c>.</summary>
    public required string Rule { get; init; }

    /// <summary>The service (the Kafka key).</summary>
    public required string Service { get; init; }

    /// <summary>The metric or monitored series, e.g. <c>cpu_percent</c>, <c>request_rate</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The value at the event (anomaly alerts: the window's value). Written as 0 when not finite.</summary>
    public required double Value { get; init; }

    /// <summary>
    /// The threshold of <see cref="Severity"/>. Anomaly alerts: the anomaly-score threshold of the severity, or for
    /// emergency (traffic spike) the request rate that counts as a spike.
    /// </summary>
    public required double Threshold { get; init; }

    /// <summary>Human-readable summary.</summary>
    public required string Summary { get; init; }

    /// <summary>What to do: the playbook's first steps for this alert.</summary>
    public required string Playbook { get; init; }

    /// <summary>Whether this event repeats an open alert (the re-notify interval passed, or for anomaly alerts the severity rose).</summary>
    public bool Renotification { get; init; }

    /// <summary>When the alert (this episode) started firing (anomaly alerts: the opening window's start). Written in UTC.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>The event time (evaluation time or window start, never the wall clock). Written in UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// Extra labels with unique keys, written in this order; may be empty (threshold alerts). Anomaly alerts: detector,
    /// score, expected, lower, upper, window_start_ns and, where the detector has one, p_value.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
}
