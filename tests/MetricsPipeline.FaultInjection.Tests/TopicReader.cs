using Confluent.Kafka;
using MetricsPipeline.Kafka.Native;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>Reads a whole topic from the beginning with a plain Confluent consumer (a fresh group every time).</summary>
internal static class TopicReader
{
    /// <summary>Returns every record value, stopping once nothing new arrived for <paramref name="quiet"/> (bounded by <paramref name="timeout"/>).</summary>
    public static List<string> ReadAll(string bootstrap, string topic, TimeSpan quiet, TimeSpan timeout)
    {
        LibrdkafkaLoader.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "fault-tests-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 3000,
            HeartbeatIntervalMs = 500,
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        var deadline = DateTime.UtcNow + timeout;
        var lastNew = DateTime.UtcNow;
        var assigned = false;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            assigned |= consumer.Assignment.Count > 0;
            if (result?.Message is { } message)
            {
                values.Add(message.Value);
                lastNew = DateTime.UtcNow;
            }
            else if (assigned && DateTime.UtcNow - lastNew > quiet)
            {
                break;
            }
        }

        consumer.Close();
        return values;
    }
}
