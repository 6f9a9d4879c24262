namespace MetricsPipeline.Decisions.Alerts;

/// <summary>
/// An <c>alert/v1</c> message, the envelope shared by threshold and anomaly alerts on the <c>alerts</c> topic (schema:
/// <c>schemas/alert.v1.schema.json</c>), keyed by service. Serialise with <see cref="Commands.DecisionJson.Options"/>.
/// Immutable and thread-safe.
/// </summary>
public sealed record AlertEnvelope
{
    /// <summary>The schema identifier of this message version.</summary>
    public const string SchemaName = "alert/v1";

    /// <summary>Always <see cref="SchemaName"/>.</summary>
    public string Schema { get; init; } = SchemaName;

    /// <summary>Deterministic id: a hash of rule, service, status, severity and event time, so replays deduplicate.</summary>
    public required string Id { get; init; }

    /// <summary>Which detector raised it.</summary>
    public required AlertKind Kind { get; init; }

    /// <summary>Firing, resolved or flapping.</summary>
    public required AlertStatus Status { get; init; }

    /// <summary>The level (for resolved events, the level that was active).</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>The rule or detector name, e.g. <c>cpu_high</c>.</summary>
    public required string Rule { get; init; }

    /// <summary>The service (the Kafka key).</summary>
    public required string Service { get; init; }

    /// <summary>The metric, e.g. <c>cpu_percent</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The value at the event.</summary>
    public required double Value { get; init; }

    /// <summary>The threshold of <see cref="Severity"/> (anomaly alerts: the score threshold).</summary>
    public required double Threshold { get; init; }

    /// <summary>Human-readable summary.</summary>
    public required string Summary { get; init; }

    /// <summary>What to do: the playbook's first steps for this alert.</summary>
    public required string Playbook { get; init; }

    /// <summary>Whether this event repeats an unchanged firing alert after the re-notify interval.</summary>
    public bool Renotification { get; init; }

    /// <summary>When the alert (this episode) started firing.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>The event time (evaluation time, not the wall clock).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Extra labels (e.g. region); may be empty.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
