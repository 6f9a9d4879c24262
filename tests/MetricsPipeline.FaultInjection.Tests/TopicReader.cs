using Confluent.Kafka;
using MetricsPipeline.Kafka.Native;

namespace MetricsPipeline.FaultInjection.Tests;

/// <summary>Reads a whole topic from the beginning with a plain Confluent consumer (a fresh group every time).</summary>
internal static class TopicReader
{
    /// <summary>
    /// Returns every record value, stopping once every assigned partition has been read to its end and nothing new
    /// arrived for <paramref name="quiet"/> (bounded by <paramref name="timeout"/>). Quiet alone is not enough: on a
    /// loaded machine the first fetch after the assignment can take longer than <paramref name="quiet"/>, which read
    /// an empty topic. Reaching <paramref name="timeout"/> before the end throws: a partial read would otherwise pass
    /// for the topic's content and fail a comparison far from the cause (or pass one it should not).
    /// </summary>
    /// <exception cref="TimeoutException">The end of every partition was not reached within <paramref name="timeout"/>.</exception>
    public static List<string> ReadAll(string bootstrap, string topic, TimeSpan quiet, TimeSpan timeout) =>
        ReadRecords(bootstrap, topic, quiet, timeout).Select(r => r.Value).ToList();

    /// <summary>
    /// Like <see cref="ReadAll"/>, with each record's partition and offset (in the order read: per partition, by
    /// offset).
    /// </summary>
    /// <exception cref="TimeoutException">The end of every partition was not reached within <paramref name="timeout"/>.</exception>
    public static List<TopicRecord> ReadRecords(string bootstrap, string topic, TimeSpan quiet, TimeSpan timeout)
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
            EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Subscribe(topic);
        var values = new List<TopicRecord>();
        var deadline = DateTime.UtcNow + timeout;
        var lastNew = DateTime.UtcNow;
        var atEnd = new HashSet<TopicPartition>();
        while (true)
        {
            if (DateTime.UtcNow >= deadline)
            {
                var assigned = consumer.Assignment;
                consumer.Close();
                throw new TimeoutException($"reading {topic}: {values.Count} records, {atEnd.Count} of {assigned.Count} assigned partitions at their end after {timeout}");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: true })
            {
                atEnd.Add(result.TopicPartition);
            }
            else if (result?.Message is { } message)
            {
                values.Add(new TopicRecord(result.Partition.Value, result.Offset.Value, message.Value));
                atEnd.Remove(result.TopicPartition);
                lastNew = DateTime.UtcNow;
            }

            var assignment = consumer.Assignment;
            if (assignment.Count > 0 && assignment.All(atEnd.Contains) && DateTime.UtcNow - lastNew > quiet)
            {
                break;
            }
        }

        consumer.Close();
        return values;
    }
}
