using MetricsPipeline.Analytics.State;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Host.Hosting;

/// <summary>The <see cref="ICheckpointLog"/> of <see cref="KafkaCheckpointStore"/> on a <see cref="KafkaStateTopic"/>.</summary>
/// <param name="topic">The group's state topic (owned by the caller).</param>
public sealed class KafkaCheckpointLog(KafkaStateTopic topic) : ICheckpointLog
{
    /// <summary>The underlying topic.</summary>
    public KafkaStateTopic Topic { get; } = topic ?? throw new ArgumentNullException(nameof(topic));

    /// <summary>The state topic of <paramref name="group"/>: <c>&lt;group&gt;.state</c>.</summary>
    public static string TopicName(string group) => group + ".state";

    /// <inheritdoc />
    public void Append(IReadOnlyList<KeyValuePair<string, byte[]?>> records) => Topic.Write(records);

    /// <inheritdoc />
    public void ReadNew(Action<string, byte[]?> onRecord) => Topic.ReadNew(onRecord);
}
