using System.Buffers;
using System.Globalization;
using MetricsPipeline.Ingest.LineProtocol;
using MetricsPipeline.Ingest.Model;
using MetricsPipeline.Kafka;

namespace MetricsPipeline.Agent.Collectd;

/// <summary>
/// Bridges collectd into the pipeline: consumes collectd's JSON from a Kafka topic (<c>write_kafka</c>, Format JSON),
/// converts it with <see cref="CollectdJsonConverter"/>, and produces line protocol to the metrics topic through a
/// <see cref="KafkaLineProducer"/>, so the analytics stage sees collectd's metrics like any other. A record that is
/// not collectd JSON becomes a dead letter. Offsets are acknowledged only after the lines were flushed
/// (at-least-once). Run with <see cref="RunAsync"/> until cancelled.
/// </summary>
/// <param name="source">The consumer of the collectd topic (started by this bridge).</param>
/// <param name="producer">The producer of the metrics topic.</param>
/// <param name="deadLetters">Where unreadable records go, or <c>null</c>.</param>
public sealed class CollectdBridge(KafkaSource source, KafkaLineProducer producer, IDeadLetterSink? deadLetters = null)
{
    private long linesProduced;
    private long recordsRejected;

    /// <summary>Lines produced to the metrics topic.</summary>
    public long LinesProduced => Interlocked.Read(ref linesProduced);

    /// <summary>Records that were not collectd JSON.</summary>
    public long RecordsRejected => Interlocked.Read(ref recordsRejected);

    /// <summary>Consumes, converts and produces until <paramref name="cancellationToken"/> is cancelled; never throws for bad input.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        source.Start();
        var buffer = new ArrayBufferWriter<byte>(512);
        try
        {
            while (await source.Batches.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (source.Batches.TryRead(out var batch))
                {
                    foreach (var record in batch.Records)
                    {
                        if (!CollectdJsonConverter.TryConvert(record.Value.Span, out var points, out var error))
                        {
                            Interlocked.Increment(ref recordsRejected);
                            if (deadLetters is not null)
                            {
                                await deadLetters.WriteAsync(new DeadLetter("collectd", "invalid_collectd_json", error!, record.Value, 0, 0, string.Create(CultureInfo.InvariantCulture, $"{record.Topic}/{record.Partition}@{record.Offset}")), cancellationToken).ConfigureAwait(false);
                            }

                            continue;
                        }

                        foreach (var point in points)
                        {
                            buffer.ResetWrittenCount();
                            try
                            {
                                LineProtocolWriter.Write(point, buffer);
                            }
                            catch (ArgumentException)
                            {
                                Interlocked.Increment(ref recordsRejected);
                                continue;
                            }

                            var line = buffer.WrittenSpan;
                            producer.Append(line[..SeriesKeyLength(line)], line);
                            Interlocked.Increment(ref linesProduced);
                        }
                    }

                    await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    source.Acknowledge(batch);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The series key ends at the first space not escaped by a backslash.</summary>
    private static int SeriesKeyLength(ReadOnlySpan<byte> line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == ' ')
            {
                return i;
            }
        }

        return line.Length;
    }
}
