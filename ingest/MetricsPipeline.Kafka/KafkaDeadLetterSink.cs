using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using MetricsPipeline.Ingest.Model;

namespace MetricsPipeline.Kafka;

/// <summary>
/// Writes dead letters to a Kafka topic (by default <c>metrics-deadletter</c>) as one JSON envelope per message,
/// keyed by the reason so each reason keeps its order on one partition.
/// </summary>
/// <remarks>
/// Envelope (schema <c>dead-letter/v1</c>):
/// <code>
/// {"schema":"dead-letter/v1","stage":"parse","reason":"invalid_field_value","message":"...",
///  "line":3,"column":17,"source":"metrics/3@1042","payload":"cpu,host=a usage=x 1\n","payloadBase64":false}
/// </code>
/// <c>payload</c> is the rejected bytes as text when they are valid UTF-8, else base64 with <c>payloadBase64</c> true.
/// <c>source</c> is null when unknown. Thread-safe; the producer is owned by the caller.
/// </remarks>
public sealed class KafkaDeadLetterSink(KafkaMessageProducer producer, string topic = "metrics-deadletter") : IDeadLetterSink
{
    /// <summary>The schema identifier written into every envelope.</summary>
    public const string Schema = "dead-letter/v1";

    /// <summary>The topic written to.</summary>
    public string Topic { get; } = topic;

    /// <summary>Serializes <paramref name="letter"/> into the JSON envelope described on this type.</summary>
    public static byte[] ToJson(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var buffer = new ArrayBufferWriter<byte>(256 + letter.Payload.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            json.WriteString("stage", letter.Stage);
            json.WriteString("reason", letter.Reason);
            json.WriteString("message", letter.Message);
            json.WriteNumber("line", letter.Line);
            json.WriteNumber("column", letter.Column);
            json.WriteString("source", letter.Source);
            var payload = letter.Payload.Span;
            var isText = Utf8.IsValid(payload);
            if (isText)
            {
                json.WriteString("payload", payload);
            }
            else
            {
                json.WriteBase64String("payload", payload);
            }

            json.WriteBoolean("payloadBase64", !isText);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one dead letter and completes when the broker acknowledged it.</summary>
    /// <exception cref="Confluent.Kafka.ProduceException{TKey, TValue}">Delivery failed.</exception>
    public async ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        await producer.ProduceAsync(Topic, letter.Reason, ToJson(letter), cancellationToken).ConfigureAwait(false);
    }
}
