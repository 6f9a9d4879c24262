using Confluent.Kafka;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Instrumentation;

/// <summary>
/// Exports batches through a <see cref="KafkaLineProducer"/> (lines partitioned by series key, as the fleet's and
/// the agent's). The producer is created on first use and re-created after a failure, so an app that starts
/// while Kafka is down just queues. A batch is retried whole when any of its messages failed, so after a partial
/// failure some lines may arrive twice (metrics tolerate that; the analytics stage deduplicates by timestamp).
/// </summary>
public sealed class KafkaMetricsBatchExporter(MetricsPipelineExporterOptions options) : IMetricsBatchExporter
{
    private KafkaLineProducer? producer;

    /// <inheritdoc />
    public async Task<bool> ExportAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        try
        {
            producer ??= new KafkaLineProducer(new KafkaProducerOptions
            {
                BootstrapServers = options.BootstrapServers,
                Topic = options.Topic,
                MetadataTimeoutMs = 5_000,
                Settings = { ["message.timeout.ms"] = "10000" },
            });
            var failedBefore = producer.DeliveryErrors;
            Append(producer, batch.Span);
            if (!await producer.FlushAsync(cancellationToken).ConfigureAwait(false))
            {
                // Cut short (the shutdown grace): the batch is not known to be exported. Its lines stay queued in the
                // producer, whose dispose flushes them; the caller must not count them as exported.
                cancellationToken.ThrowIfCancellationRequested();
            }
            else if (producer.DeliveryErrors == failedBefore)
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException or InvalidOperationException)
        {
            // Kafka unreachable or metadata missing: retried by the export loop.
        }

        if (producer is not null)
        {
            await producer.DisposeAsync().ConfigureAwait(false);
            producer = null;
        }

        return false;
    }

    private static void Append(KafkaLineProducer producer, ReadOnlySpan<byte> batch)
    {
        var line = new byte[1024];
        var reader = new LineProtocolReader(batch);
        while (reader.MoveNext())
        {
            if (!reader.IsValid)
            {
                continue;
            }

            var current = reader.Current;
            if (line.Length < current.RawLine.Length + 1)
            {
                line = new byte[current.RawLine.Length * 2];
            }

            current.RawLine.CopyTo(line);
            line[current.RawLine.Length] = (byte)'\n';
            producer.Append(current.SeriesKey, line.AsSpan(0, current.RawLine.Length + 1));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (producer is not null)
        {
            await producer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
