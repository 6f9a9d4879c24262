using Confluent.Kafka;

namespace MetricsPipeline.Kafka;

/// <summary>Metadata look-ups shared by the producers.</summary>
internal static class KafkaMetadata
{
    /// <summary>Waits until the topic's metadata lists partitions and returns their count.</summary>
    public static int WaitForPartitionCount(Handle handle, string topic, TimeSpan timeout)
    {
        using var admin = new DependentAdminClientBuilder(handle).Build();
        var deadline = DateTime.UtcNow + timeout;
        KafkaException? last = null;
        while (true)
        {
            try
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(2));
                var entry = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
                if (entry is not null && !entry.Error.IsError && entry.Partitions.Count > 0)
                {
                    return entry.Partitions.Count;
                }

                last = new KafkaException(entry?.Error ?? new Error(ErrorCode.UnknownTopicOrPart));
            }
            catch (KafkaException ex)
            {
                last = ex;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw last;
            }

            // Topic auto-creation and leader election take a moment on a fresh cluster.
            Thread.Sleep(100);
        }
    }
}
