namespace MetricsPipeline.Kafka;

/// <summary>
/// The Kafka topic names the pipeline uses. Bind from the <c>Kafka:Topics</c> configuration section.
/// </summary>
/// <remarks>
/// Message formats: <see cref="Metrics"/> carries InfluxDB line protocol, many newline-terminated lines per message
/// (see <see cref="KafkaLineProducer"/>); the other topics carry one UTF-8 JSON document per message, keyed by a
/// string (dead letters: see <see cref="KafkaDeadLetterSink"/>).
/// </remarks>
public sealed class KafkaTopicOptions
{
    /// <summary>Line-protocol metrics, partitioned by series key. The default is <c>metrics</c>.</summary>
    public string Metrics { get; set; } = "metrics";

    /// <summary>Dead letters as JSON envelopes (<c>dead-letter/v1</c>), keyed by reason. The default is <c>metrics-deadletter</c>.</summary>
    public string DeadLetter { get; set; } = "metrics-deadletter";

    /// <summary>Scaling commands as JSON. The default is <c>scaling-commands</c>.</summary>
    public string ScalingCommands { get; set; } = "scaling-commands";

    /// <summary>Alerts as JSON. The default is <c>alerts</c>.</summary>
    public string Alerts { get; set; } = "alerts";

    /// <summary>Cost alerts as JSON. The default is <c>cost-alerts</c>.</summary>
    public string CostAlerts { get; set; } = "cost-alerts";

    /// <summary>All five topic names, in the order above.</summary>
    public IReadOnlyList<string> All() => [Metrics, DeadLetter, ScalingCommands, Alerts, CostAlerts];
}
